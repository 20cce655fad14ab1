from django.shortcuts import render

from sanxin.accounts.roles import Cap
from sanxin.core.views_helpers import capability_required
from sanxin.dashboards.selectors import home_figures


@capability_required(Cap.HOME)
def home(request):
    return render(request, "dashboards/home.html", {"figures": home_figures(user=request.user)})

