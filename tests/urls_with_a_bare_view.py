"""The project's URLs plus one page that declares no access rule (the matrix test's positive control)."""

from django.urls import path

from openward.urls import urlpatterns as project_urlpatterns

from .test_authorisation_matrix import bare

urlpatterns = [path("bare/", bare), *project_urlpatterns]
