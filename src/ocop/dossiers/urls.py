from django.urls import path

from ocop.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.DossierListView.as_view(), name="dossier_list"),
    path("new/", views.DossierCreateView.as_view(), name="dossier_create"),
    path("inbox/", views.CommuneInboxView.as_view(), name="commune_inbox"),
    path("intake/", views.ProvinceInboxView.as_view(), name="province_inbox"),
    path("<int:pk>/", views.DossierDetailView.as_view(), name="dossier_detail"),
    path("<int:pk>/step/<slug:step>/", views.DossierStepView.as_view(), name="dossier_step"),
    path("<int:pk>/evidence/", views.EvidenceView.as_view(), name="dossier_evidence"),
    path("<int:pk>/evidence/<int:evidence_pk>/file/", views.EvidenceFileView.as_view(), name="evidence_file"),
    path("<int:pk>/evidence/<int:evidence_pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path("<int:pk>/submit/", views.TransitionView.as_view(action="submit"), name="dossier_submit"),
    path("<int:pk>/withdraw/", views.TransitionView.as_view(action="withdraw"), name="dossier_withdraw"),
    path("<int:pk>/receive/", views.ReceiveView.as_view(), name="dossier_receive"),
    path("<int:pk>/return/", views.ReturnView.as_view(), name="dossier_return"),
    path("<int:pk>/review/", views.CommuneReviewView.as_view(), name="commune_review"),
    path("<int:pk>/forward/", views.TransitionView.as_view(action="forward"), name="dossier_forward"),
    path("<int:pk>/accept/", views.TransitionView.as_view(action="accept"), name="dossier_accept"),
    path("<int:pk>/documents/<slug:name>.<slug:fmt>", views.DossierDocumentView.as_view(), name="dossier_document"),
    path("<int:pk>/e-dossier.zip", views.DossierZipView.as_view(), name="dossier_zip"),
]
