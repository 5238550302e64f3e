"""Partnerships between a supplier and a customer organisation, and the bridges between their departments."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mitra.accounts.models import Department, Membership, Organisation
from mitra.core.history import history_user
from mitra.core.tenancy import Actor, SharedRecord, partnership_q


class Side(models.TextChoices):
    SUPPLIER = "supplier", _("Supplier")
    CUSTOMER = "customer", _("Customer")


class Tier(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    KEY = "key", _("Key")
    DEVELOPING = "developing", _("Developing")
    TRANSACTIONAL = "transactional", _("Transactional")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")
    DECLINED = "declined", _("Declined")


OPEN_STATUSES = (Status.PROPOSED, Status.ACTIVE, Status.PAUSED)
SHARED_STATUSES = (Status.ACTIVE, Status.PAUSED, Status.ENDED)


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def visible_to(self, actor: Actor) -> PartnershipQuerySet:
        return self.filter(partnership_q(actor))


class Partnership(models.Model):
    """The long-term relationship between one supplier organisation and one customer organisation.

    One side proposes; nothing is shared until the other side accepts. Both sides see the same record.
    """

    supplier = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="as_supplier", verbose_name=_("supplier")
    )
    customer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="as_customer", verbose_name=_("customer")
    )
    proposed_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    proposed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    tier = models.CharField(_("tier"), max_length=15, choices=Tier.choices, default=Tier.KEY)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    goals = models.TextField(_("shared goals"), blank=True, max_length=4000)
    review_cadence_days = models.PositiveSmallIntegerField(_("review cadence (days)"), default=90)
    message = models.TextField(_("message to the partner"), blank=True, max_length=2000)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = PartnershipQuerySet.as_manager()
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=~Q(supplier=F("customer")),
                name="partnership_two_organisations",
                violation_error_message=_("An organisation cannot be in a partnership with itself."),
            ),
            models.CheckConstraint(
                condition=Q(proposed_by=F("supplier")) | Q(proposed_by=F("customer")),
                name="partnership_proposer_is_party",
                violation_error_message=_("The proposing organisation must be one of the two sides."),
            ),
            models.CheckConstraint(
                condition=Q(review_cadence_days__gte=7, review_cadence_days__lte=366),
                name="partnership_review_cadence_range",
                violation_error_message=_("The review cadence must be between 7 and 366 days."),
            ),
            models.UniqueConstraint(
                fields=("supplier", "customer"),
                condition=Q(status__in=["proposed", "active", "paused"]),
                name="partnership_one_open_per_pair",
                violation_error_message=_("These two organisations already have an open partnership."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} → {self.customer}"

    def side_of(self, organisation_id: int) -> str | None:
        if organisation_id == self.supplier_id:
            return Side.SUPPLIER
        if organisation_id == self.customer_id:
            return Side.CUSTOMER
        return None

    def partner_of(self, organisation_id: int) -> Organisation:
        return self.customer if organisation_id == self.supplier_id else self.supplier

    @property
    def is_shared(self) -> bool:
        return self.status in SHARED_STATUSES


class PartnerInvitation(models.Model):
    """A proposal to a company that is not on Mitra yet, e-mailed to a person there.

    The recipient signs up, creates their organisation and accepts (or declines) in one flow; accepting
    creates the partnership, active from then on.
    """

    proposer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="partner_invitations")
    proposer_side = models.CharField(_("our side"), max_length=10, choices=Side.choices)
    email = models.EmailField(_("e-mail address"))
    company_name = models.CharField(_("company name"), max_length=120)
    tier = models.CharField(_("tier"), max_length=15, choices=Tier.choices, default=Tier.KEY)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    goals = models.TextField(_("shared goals"), blank=True, max_length=4000)
    review_cadence_days = models.PositiveSmallIntegerField(_("review cadence (days)"), default=90)
    message = models.TextField(_("message to the partner"), blank=True, max_length=2000)
    salt = models.CharField(max_length=40)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    partnership = models.OneToOneField(
        Partnership, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )

    class Meta:
        verbose_name = _("partner invitation")
        verbose_name_plural = _("partner invitations")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("proposer", "email"),
                condition=Q(accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=True),
                name="partner_invitation_one_pending",
                violation_error_message=_(
                    "There is already a pending partnership invitation to this address."
                ),
            ),
            models.CheckConstraint(
                condition=Q(review_cadence_days__gte=7, review_cadence_days__lte=366),
                name="partner_invitation_review_cadence_range",
                violation_error_message=_("The review cadence must be between 7 and 366 days."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_name} <{self.email}>"


class Bridge(SharedRecord):
    """A pair of departments, one on each side, that work together (logistics↔warehouse, finance↔finance…).

    Each end has an owner, and the two owners agree how often they meet (the cadence). A partnership that
    hangs on one bridge, or on one person, is fragile.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="bridges")
    supplier_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="supplier_bridges",
        verbose_name=_("supplier department"),
    )
    customer_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="customer_bridges",
        verbose_name=_("customer department"),
    )
    supplier_owner = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supplier owner"),
    )
    customer_owner = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer owner"),
    )
    cadence_days = models.PositiveSmallIntegerField(_("cadence (days)"), default=30)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("bridge")
        verbose_name_plural = _("bridges")
        ordering = ("supplier_department__name", "customer_department__name")
        constraints = [
            models.UniqueConstraint(
                fields=("partnership", "supplier_department", "customer_department"),
                name="bridge_unique_pair",
                violation_error_message=_("These two departments are already bridged in this partnership."),
            ),
            models.CheckConstraint(
                condition=Q(cadence_days__gte=1, cadence_days__lte=366),
                name="bridge_cadence_range",
                violation_error_message=_("The cadence must be between 1 and 366 days."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_department} ↔ {self.customer_department}"

    @property
    def live(self) -> bool | None:
        """Whether the two ends met (a moment of truth on this bridge) within the agreed cadence.

        Needs ``last_contact_at``, which the bridge selectors annotate; None when it was not loaded.
        """
        if not hasattr(self, "last_contact_at"):
            return None
        last = self.last_contact_at
        return last is not None and last >= timezone.now() - dt.timedelta(days=self.cadence_days)


class Contact(SharedRecord):
    """A person at one of the two organisations whom the partnership deals with (the stakeholder map).

    A contact need not use Mitra: it is the buyer, the warehouse head or the finance clerk as both
    partners know them, with their department. Contacts are matched on their e-mail address.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partnership")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ("organisation__name", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("partnership", "organisation", "email"),
                name="contact_unique_email",
                violation_error_message=_(
                    "This organisation already has a contact with this e-mail address."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The contact works at one of the partnership's two organisations, in a department of that one."""
        errors: dict[str, list[str]] = {}
        partnership = self.partnership
        if self.organisation_id not in (partnership.supplier_id, partnership.customer_id):
            errors["organisation"] = [str(_("The organisation must be one of the two partners."))]
        elif self.department is not None and self.department.organisation_id != self.organisation_id:
            errors["department"] = [str(_("The department must belong to the contact's organisation."))]
        self.email = (self.email or "").strip().lower()
        if errors:
            raise ValidationError(errors)
