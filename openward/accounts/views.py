from django.shortcuts import render

from openward.core import access


@access.signed_in
def profile(request):
    return render(request, "accounts/profile.html")
