from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from sanxin.dashboards.selectors import home_figures


@login_required
def home(request):
    # Every signed-in account has a home page; what it shows follows its role and scope. A worker's is on the phone.
    if request.user.can("workers.self") and not request.user.has_territorial_scope:
        return redirect("/w/")
    return render(request, "dashboards/home.html", {"figures": home_figures(user=request.user)})
