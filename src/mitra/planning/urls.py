from django.urls import path

from mitra.planning import views

app_name = "planning"
BASE = "partnerships/<int:pk>/planning/"
urlpatterns = [
    path(BASE, views.board, name="board"),
    path(BASE + "run/", views.run, name="run"),
    path(BASE + "run/status/", views.run_status, name="run_status"),
    path(BASE + "exceptions/", views.exception_list, name="exceptions"),
    path(BASE + "exceptions/<int:exception_id>/resolve/", views.exception_resolve, name="exception_resolve"),
    path(BASE + "proposals/", views.proposal_list, name="proposals"),
    path(BASE + "proposals/decide/", views.proposals_decide, name="proposals_decide"),
    path(BASE + "orders/", views.order_list, name="orders"),
    path(BASE + "orders/<int:order_id>/export.csv", views.order_export, name="order_export"),
    path(BASE + "orders/<int:order_id>/export.edi", views.order_export_edifact, name="order_export_edifact"),
    path(BASE + "orders/<int:order_id>/export.x12", views.order_export_x12, name="order_export_x12"),
    path(BASE + "data/", views.data, name="data"),
    path(BASE + "data/commit/", views.data_commit, name="data_commit"),
    path(BASE + "terms/", views.terms, name="terms"),
    path(BASE + "terms/propose/", views.terms_propose, name="terms_propose"),
    path(BASE + "terms/decide/", views.terms_decide, name="terms_decide"),
    path(BASE + "simulation/", views.simulation, name="simulation"),
]
