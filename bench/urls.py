from django.urls import path

from bench.views import baseline_insert
from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench/baseline/", baseline_insert, name="bench_baseline"),
    *product_urlpatterns,
]
