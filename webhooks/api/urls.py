from django.urls import path

from webhooks.api import views

app_name = "webhooks_api"
urlpatterns = [
    path("endpoints/", views.EndpointList.as_view(), name="endpoint_list"),
    path("endpoints/<int:pk>/", views.EndpointDetail.as_view(), name="endpoint_detail"),
    path("endpoints/<int:pk>/rotate-secret/", views.EndpointRotate.as_view(), name="endpoint_rotate"),
    path("endpoints/<int:pk>/deliveries/", views.DeliveryList.as_view(), name="delivery_list"),
    path("deliveries/<int:pk>/resend/", views.DeliveryResend.as_view(), name="delivery_resend"),
]
