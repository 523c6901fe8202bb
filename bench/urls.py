from django.urls import path

from bench.views import baseline_insert, hello
from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench/baseline/", baseline_insert, name="bench_baseline"),
    path("bench/hello/", hello, name="bench_hello"),
    *product_urlpatterns,
]
