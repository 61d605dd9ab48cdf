"""Edition-level registration pages, included under /<lang>/<edition>/."""

from django.urls import path

from registrations import views

urlpatterns = [
    path("register/", views.register_choose, name="register"),
    path("register/<slug:category>/", views.register_form, name="register_form"),
    path("participants/", views.participants, name="participants"),
    path("my-registration/", views.registration_status, name="registration_status"),
    path("staff/registrations/", views.staff_registrations, name="staff_registrations"),
    path("staff/registrations/export.<str:fmt>", views.staff_export, name="staff_registrations_export"),
    path("staff/registrations/import/", views.staff_import, name="staff_registrations_import"),
    path("staff/registrations/<uuid:uuid>/", views.staff_registration_detail, name="staff_registration"),
    path("staff/answers/<int:answer>/", views.staff_answer_file, name="staff_answer_file"),
    path("staff/organisation-proposals/", views.staff_proposals, name="staff_proposals"),
    path("staff/categories/", views.staff_categories, name="staff_categories"),
    path("staff/categories/new/", views.staff_category_edit, name="staff_category_new"),
    path("staff/categories/<slug:category>/", views.staff_category_edit, name="staff_category_edit"),
    path("staff/questions/new/", views.staff_question_edit, name="staff_question_new"),
    path("staff/questions/<int:question>/", views.staff_question_edit, name="staff_question_edit"),
    path(
        "staff/categories/<slug:category>/capacity/",
        views.staff_category_capacity,
        name="staff_category_capacity",
    ),
]

# Network-wide staff pages, not of one edition: included under /<lang>/staff/.
network_urlpatterns = [
    path("organisation-proposals/", views.directory_proposals, name="directory_proposals"),
]

# Pages of the person, not of an edition: included under /<lang>/me/.
account_urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("data.json", views.my_data, name="my_data"),
    path("delete/", views.delete_account, name="delete_account"),
]
