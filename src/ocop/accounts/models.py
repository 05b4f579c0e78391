"""Users, roles and scoped memberships (ADR 0003).

A :class:`Role` is a named set of capability flags (data, loaded from ``accounts/data/roles.json``).
A :class:`Membership` grants one role to one user *within one administrative unit* (and, by
default, everything below it). A producer account is a membership of a producer-kind role that
names the producer it acts for. Permissions are the union of the flags of the memberships whose
scope covers the object (pretalx ``Team`` + ``permission_set``).
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.accounts.enums import Capability, RoleKind
from ocop.core.models import BaseModel
from ocop.geography.enums import UnitLevel


class User(AbstractUser):
    """A person who signs in (người dùng). The public portal needs no account."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    job_title = models.CharField(_("position"), max_length=150, blank=True)
    organisation = models.CharField(_("agency / organisation"), max_length=200, blank=True)

    audited = True
    audit_exclude = ("password",)
    audit_ignore_changes = ("last_login",)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


def _capability_field(capability: Capability) -> models.BooleanField:
    return models.BooleanField(capability.label, default=False)


class Role(BaseModel):
    """A named capability set (vai trò), e.g. "Cán bộ cấp xã" or "Thành viên Hội đồng".

    The flags are data, kept in ``accounts/data/roles.json`` and applied by ``load_roles`` on every
    bootstrap: a change of flags is a reviewed change of that file, not a database edit.
    """

    slug = models.SlugField(_("key"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=RoleKind.choices)
    description = models.TextField(_("description"), blank=True)
    allowed_levels = models.JSONField(
        _("allowed unit levels"),
        default=list,
        blank=True,
        help_text=_("Unit levels a membership of this role may be scoped to; empty means any."),
    )

    can_manage_users = _capability_field(Capability.MANAGE_USERS)
    can_manage_reference_data = _capability_field(Capability.MANAGE_REFERENCE_DATA)
    can_view_registry = _capability_field(Capability.VIEW_REGISTRY)
    can_manage_registry = _capability_field(Capability.MANAGE_REGISTRY)
    can_file_dossiers = _capability_field(Capability.FILE_DOSSIERS)
    can_receive_dossiers = _capability_field(Capability.RECEIVE_DOSSIERS)
    can_review_commune = _capability_field(Capability.REVIEW_COMMUNE)
    can_check_province_dossiers = _capability_field(Capability.CHECK_PROVINCE_DOSSIERS)
    can_manage_rounds = _capability_field(Capability.MANAGE_ROUNDS)
    can_manage_councils = _capability_field(Capability.MANAGE_COUNCILS)
    is_council_member = _capability_field(Capability.SCORE_PRODUCTS)
    is_advisory_member = _capability_field(Capability.ADVISE)
    can_issue_certificates = _capability_field(Capability.ISSUE_CERTIFICATES)
    can_recognise_five_star = _capability_field(Capability.RECOGNISE_FIVE_STAR)
    can_manage_programme = _capability_field(Capability.MANAGE_PROGRAMME)
    can_view_reports = _capability_field(Capability.VIEW_REPORTS)
    can_view_audit = _capability_field(Capability.VIEW_AUDIT)

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name

    @property
    def capabilities(self) -> frozenset[str]:
        return frozenset(c.value for c in Capability if getattr(self, c.value))


class Membership(BaseModel):
    """A role granted to a user within an administrative unit (phân quyền theo địa bàn).

    ``include_descendants`` extends the scope to every unit below (a provincial agency sees all
    communes of its province). For a producer-kind role ``producer`` is required and the scope is
    that producer's own records.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="memberships")
    admin_unit = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    include_descendants = models.BooleanField(_("includes units below"), default=True)
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user__username", "role__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "admin_unit"],
                condition=Q(producer__isnull=True),
                name="accounts_membership_unique_staff",
                violation_error_message=_("This user already has this role in this unit."),
            ),
            models.UniqueConstraint(
                fields=["user", "producer"],
                condition=Q(producer__isnull=False),
                name="accounts_membership_unique_producer",
                violation_error_message=_("This user is already linked to this producer."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} @ {self.admin_unit}"

    def clean(self) -> None:
        errors = {}
        if self.role_id and self.admin_unit_id:
            if self.role.allowed_levels and self.admin_unit.level not in self.role.allowed_levels:
                levels = ", ".join(str(UnitLevel(level).label) for level in self.role.allowed_levels)
                errors["admin_unit"] = _("This role can only be granted at these levels: %(levels)s.") % {
                    "levels": levels
                }
            if not self.admin_unit.is_current:
                errors["admin_unit"] = _("Roles can only be granted on a unit of the current map.")
        if self.role_id:
            if self.role.kind == RoleKind.PRODUCER and not self.producer_id:
                errors["producer"] = _("A producer account must be linked to a producer.")
            if self.role.kind != RoleKind.PRODUCER and self.producer_id:
                errors["producer"] = _("Only a producer account can be linked to a producer.")
        if errors:
            raise ValidationError(errors)
