from celery import shared_task

from series.services import series_generate_all


@shared_task(ignore_result=True)
def generate_series_sessions() -> int:
    """Beat's periodic run of the generator (docs/series.md); safe to overlap."""
    return series_generate_all()
