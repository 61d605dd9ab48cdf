from django.urls import path

from registrations import views

urlpatterns = [
    path("register/", views.register_choose, name="register"),
    path("register/<slug:category>/", views.register_form, name="register_form"),
    path("my-registration/", views.registration_status, name="registration_status"),
]
