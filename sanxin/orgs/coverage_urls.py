from django.urls import path  # noqa: F401

# Coverage pages (rates, drill-down, lists behind the numbers).
urlpatterns: list = []
