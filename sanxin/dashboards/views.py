from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from sanxin.dashboards.selectors import home_figures


@login_required
def home(request):
    # Every signed-in account has a home page; what it shows follows its role and scope.
    return render(request, "dashboards/home.html", {"figures": home_figures(user=request.user)})
