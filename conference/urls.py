from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, register_converter

from conference import views, views_log, views_site
from conference.converters import EditionSlugConverter
from registrations import urls as registration_urls

register_converter(EditionSlugConverter, "edition")

admin.site.site_header = "Tadamun"
admin.site.site_title = "Tadamun"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.switch_language, name="set_language"),
    path("favicon.ico", views_site.favicon, name="favicon"),
    # Before the admin's own URLs, so its login form is never reached.
    path("admin/login/", views_site.admin_login, name="admin_login_redirect"),
    path("admin/", admin.site.urls),
    # Feeds that calendar and schedule apps fetch: no language prefix.
    path("<edition:edition>/", include("sessions.views_feeds")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("organizations/", views.organizations, name="organizations"),
    path("me/", include(registration_urls.account_urlpatterns)),
    path("staff/", include(registration_urls.network_urlpatterns)),
    path("<edition:edition>/", views.edition, name="edition"),
    path("<edition:edition>/", include("registrations.urls")),
    path("<edition:edition>/", include("sessions.urls")),
    path("<edition:edition>/staff/", views.staff_team, name="staff_team"),
    path("<edition:edition>/staff/log/", views_log.staff_action_log, name="staff_action_log"),
    prefix_default_language=True,
)

handler404 = "conference.views.page_not_found"
handler403 = "conference.views.permission_denied"
handler500 = "conference.views.server_error"
