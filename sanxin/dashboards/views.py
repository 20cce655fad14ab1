from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from sanxin.dashboards.selectors import home_figures
from sanxin.workers.selectors import worker_of


@login_required
def home(request):
    # Every signed-in account has a home page; what it shows follows its role and scope. A worker's is on the phone.
    if not request.user.has_territorial_scope and worker_of(request.user) is not None:
        return redirect("/w/")
    return render(request, "dashboards/home.html", {"figures": home_figures(user=request.user)})
