"""An event's text in the site's other languages (docs/design.md, "Languages")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workspace.forms.translations import EventTranslationForm
from workspace.selectors.events import (
    EventAccess,
    event_for_member_or_404,
    event_translation_draft,
    event_translation_languages,
)
from workspace.services.translations import event_translation_save
from workspace.views.support import acting_user


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_translation(request: HttpRequest, event_id: int, language: str) -> HttpResponse:
    user = acting_user(request)
    event = event_for_member_or_404(user, event_id, need=EventAccess.EDIT)
    languages = event_translation_languages(event)
    if language not in dict(languages):
        # Not one of the site's languages, or the event's own: nothing to translate into.
        raise Http404(_("No such language for this event."))
    draft = event_translation_draft(event, language=language)
    form = EventTranslationForm(
        request.POST if request.method == "POST" else None,
        instance=draft.translation,
        event=event,
        questions=draft.questions,
        question_translations=draft.question_translations,
    )
    if request.method == "POST" and form.is_valid():
        event_translation_save(
            actor=user,
            event=event,
            language=language,
            texts=form.texts(),
            question_texts=form.question_texts(),
        )
        messages.success(request, _("Saved. Readers of this language see it now."))
        return redirect("workspace:event_translation", event_id=event.pk, language=language)
    return render(
        request,
        "workspace/event_translation.html",
        {
            "event": event,
            "form": form,
            "language": language,
            "language_name": translation.get_language_info(language)["name_translated"],
            "other_languages": languages,
        },
        status=400 if form.is_bound else 200,
    )
