from django.urls import path

from webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.endpoint_list, name="endpoint_list"),
    path("new/", views.endpoint_create, name="endpoint_create"),
    path("<int:pk>/", views.endpoint_detail, name="endpoint_detail"),
    path("<int:pk>/rotate/", views.endpoint_rotate, name="endpoint_rotate"),
    path("<int:pk>/active/", views.endpoint_set_active, name="endpoint_set_active"),
    path("<int:pk>/deliveries/", views.delivery_list, name="delivery_list"),
    path("deliveries/<int:pk>/resend/", views.delivery_resend, name="delivery_resend"),
]
