"""An organization's upcoming events as an Atom feed (Django's syndication framework)."""

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from events.markdown import render_markdown
from events.models import Event, Organization
from events.selectors import organization_events_upcoming, organization_public
from events.templatetags.event_times import describe_time
from events.text import without_control_characters

FEED_ITEMS = 50


class OrganizationEventsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Organization:
        organization = organization_public(slug=slug)
        if organization is None:
            raise Http404(_("No such organization."))
        return organization

    def title(self, organization: Organization) -> str:
        return _("Upcoming events of %(name)s") % {"name": organization.name}

    def link(self, organization: Organization) -> str:
        return organization.get_absolute_url()

    def subtitle(self, organization: Organization) -> str:
        # Text stored before control characters were refused: XML cannot carry them.
        return without_control_characters(organization.description)

    def items(self, organization: Organization) -> QuerySet[Event]:
        return organization_events_upcoming(organization)[:FEED_ITEMS]

    def item_title(self, event: Event) -> str:
        if event.is_cancelled:
            return _("Cancelled: %(title)s") % {"title": event.title}
        return event.title

    def item_description(self, event: Event) -> str:
        when = describe_time(event.starts_at, event.time_zone, event.time_zone)
        return f"<p>{escape(when)}</p>" + without_control_characters(
            render_markdown(event.description)
        )

    def item_pubdate(self, event: Event) -> datetime:
        return event.created_at

    def item_updateddate(self, event: Event) -> datetime:
        return event.updated_at

    def item_author_name(self, event: Event) -> str:
        return event.organization.name
