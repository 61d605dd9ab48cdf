"""Programme pages, included under /<lang>/<edition>/. Each area keeps its own list."""

from sessions import views_cfp, views_editor, views_public, views_review

urlpatterns = [
    *views_cfp.urlpatterns,
    *views_review.urlpatterns,
    *views_editor.urlpatterns,
    *views_public.urlpatterns,
]
