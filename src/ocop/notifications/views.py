"""The user's own notifications: the list, opening one (marks it read) and "mark all read"."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from ocop.notifications.selectors import notifications_for_user
from ocop.notifications.services import mark_all_read, mark_read


class NotificationListView(ListView):
    template_name = "notifications/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 25

    def get_queryset(self):
        return notifications_for_user(self.request.user)


class NotificationOpenView(View):
    """Mark the notification read and go to what it is about (someone else's: 404)."""

    def get(self, request, pk):
        notification = get_object_or_404(notifications_for_user(request.user), pk=pk)
        mark_read(notification, user=request.user)
        url = notification.url
        if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None) and url.startswith("/"):
            return redirect(url)
        return redirect("notifications:notification_list")


class NotificationMarkAllReadView(View):
    http_method_names = ["post"]

    def post(self, request):
        count = mark_all_read(request.user)
        if count:
            messages.success(request, _("All notifications are marked as read."))
        return redirect("notifications:notification_list")
