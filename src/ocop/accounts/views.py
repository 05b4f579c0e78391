"""Sign-in, sign-out, password change/reset and the user's own profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView

from ocop.accounts.forms import LoginForm, ProfileForm
from ocop.accounts.selectors import grants_for, users_for_user
from ocop.accounts.services import update_profile
from ocop.core.views import ScopedListMixin


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        # A session cookie that no longer authenticates, on the way to a protected page, means the
        # session expired: say so instead of showing a bare login form.
        if (
            request.GET.get("next")
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and not request.user.is_authenticated
        ):
            messages.warning(request, _("Your session has expired. Please sign in again."))
        return super().get(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You have signed out."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class ProfileView(FormView):
    template_name = "accounts/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("accounts:profile")

    def get_initial(self):
        user = self.request.user
        return {"full_name": user.full_name, "email": user.email, "phone": user.phone}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["grants"] = grants_for(self.request.user)
        return context

    def form_valid(self, form):
        update_profile(self.request.user, actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Your profile has been saved."))
        return redirect(self.get_success_url())


class UserListView(ScopedListMixin, ListView):
    permission_required = "accounts.manage_users"
    template_name = "accounts/user_list.html"
    context_object_name = "users"
    paginate_by = 50

    def get_queryset(self):
        return users_for_user(self.request.user).prefetch_related("memberships__role", "memberships__admin_unit")
