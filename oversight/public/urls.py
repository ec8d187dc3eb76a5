from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.public_index_view, name="index"),
    path("deputies/<int:pk>/", views.public_deputy_view, name="deputy"),
    path("sitemap.xml", views.sitemap_view, name="sitemap"),
]
