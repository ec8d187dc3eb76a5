"""Pages of suggestions (namespace `suggestions`), included at "suggestions/" by dutyadmin/urls.py.

sgpages creates this file with the detail, mine and submit pages, sgoffice adds the lists; each helper's paths
sit in a block of its own at the end of urlpatterns.
"""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

app_name = "suggestions"

urlpatterns: list = []


# --- sgremind: STUBS ONLY, so the 待办 lines and the notifications can link by name before sgpages and sgoffice
# land. DROP this whole block when merging: the real pages keep these names (SUGG.md).
@login_required
def _stub(request, pk=None):
    return HttpResponse("建设中。", content_type="text/plain; charset=utf-8")


urlpatterns += [
    path("", _stub, name="list"),
    path("unit/", _stub, name="unit_list"),
    path("mine/", _stub, name="mine"),
    path("<int:pk>/", _stub, name="detail"),
]
# --- end sgremind stubs
