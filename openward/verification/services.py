"""Writes for verification: joining wards, letters with codes, in-person checks. Atomic and audited."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openward.accounts import ratelimit
from openward.accounts.identity import address_key, clean_code, keyed_hash, random_code
from openward.core import audit

from .models import (
    AddressDocument,
    AddressLetter,
    IdentityDocument,
    InPersonReference,
    LetterBatch,
    Level,
    Membership,
    Method,
    Relationship,
    VerificationGrant,
)


class VerificationError(ValueError):
    """Something a person asked for that cannot be done; the message says what to do instead."""


def _days(n: int):
    return timezone.now() + timedelta(days=n)


def relationship_problem(relationship: str) -> str | None:
    """Why a relationship to a ward is refused, or None when it is one of the choices."""
    return None if relationship in Relationship.values else "Choose how you are connected to the ward."


def check_relationship(relationship: str) -> None:
    problem = relationship_problem(relationship)
    if problem:
        raise VerificationError(problem)


@transaction.atomic
def join_ward(user, ward, *, postcode: str, relationship: str, is_home: bool = False) -> Membership:
    """Add a ward a person lives, works, studies or runs a business in (by a postcode in it)."""
    check_relationship(relationship)
    membership = Membership.objects.filter(user=user, ward=ward).first()
    if membership is not None:
        raise VerificationError(f"{ward.name} is already one of your wards.")
    if is_home:
        Membership.objects.filter(user=user, is_home=True).update(is_home=False)
    membership = Membership.objects.create(
        user=user, ward=ward, postcode=postcode, relationship=relationship, is_home=is_home
    )
    if user.email_confirmed_at:
        grant_email_level(membership)
    audit.record(user, "ward.joined", membership, ward_code=ward.gss_code, relationship=relationship)
    return membership


def grant_email_level(membership: Membership) -> VerificationGrant:
    """Level 1: the email is confirmed and the membership's postcode lies in the ward."""
    existing = membership.grants.active().filter(level=Level.EMAIL).first()
    if existing:
        return existing
    return VerificationGrant.objects.create(membership=membership, level=Level.EMAIL, method=Method.EMAIL_POSTCODE)


@transaction.atomic
def leave_ward(user, membership: Membership) -> None:
    """Stop following a ward of interest (the home ward changes by joining another as home)."""
    if membership.user_id != user.pk:
        raise VerificationError("That is not one of your wards.")
    if membership.is_home:
        raise VerificationError("You cannot leave your home ward. Add your new home ward instead.")
    audit.record(user, "ward.left", membership, ward_code=membership.ward.gss_code)
    membership.letters.all().delete()
    membership.delete()


def _duplicate_address(key: str, user) -> bool:
    """Is this address already verified, or waiting for a letter, on another live account?"""
    verified = (
        VerificationGrant.objects.active()
        .filter(address_key=key, level=Level.ADDRESS, membership__user__erased_at__isnull=True)
        .exclude(membership__user=user)
        .exists()
    )
    pending = AddressLetter.objects.pending().filter(address_key=key).exclude(membership__user=user).exists()
    return verified or pending


@transaction.atomic
def request_letter(user, membership: Membership, *, address: str, postcode: str, recipient: str = "") -> AddressLetter:
    """Ask for a letter with a one-time code to be posted to an address in the ward."""
    from .places import ward_for_postcode

    if membership.user_id != user.pk:
        raise VerificationError("That is not one of your wards.")
    if not user.is_confirmed:
        raise VerificationError("Confirm your email address first: open the link we emailed you.")
    if membership.level >= Level.ADDRESS:
        raise VerificationError("Your address in this ward is already verified.")
    lines = "\n".join(line.strip() for line in (address or "").splitlines() if line.strip())
    if len(lines) < 5:
        raise VerificationError("Enter the address the letter should go to: the house number or name and street.")
    if len(lines) > 400:
        raise VerificationError("That address is too long. Enter up to 5 short lines.")
    postcode_value, ward = ward_for_postcode(postcode)
    if ward.pk != membership.ward_id:
        raise VerificationError(
            f"{postcode_value.display} is in {ward.name}, not {membership.ward.name}. "
            "The letter must go to an address in the ward you are verifying."
        )
    recent = membership.letters.filter(created_at__gt=timezone.now() - timedelta(days=30)).count()
    if recent >= settings.OPENWARD_LETTERS_PER_MONTH:
        raise VerificationError(
            f"We have posted {recent} letters for this ward in the last 30 days. "
            "Ask your neighbourhood team to verify you in person instead."
        )
    for locked in membership.letters.pending().filter(locked_at__isnull=False):
        _erase_letter(locked)
    if membership.letters.pending().filter(locked_at__isnull=True).exists():
        raise VerificationError(
            "A letter is already on its way. Enter its code when it arrives, or wait until it expires."
        )
    key = address_key(lines, postcode_value.compact)
    code = random_code()
    letter = AddressLetter.objects.create(
        membership=membership,
        recipient=(recipient or "").strip()[:100],
        address=lines,
        postcode=postcode_value.compact,
        address_key=key,
        code=code,
        code_hash=keyed_hash("letter-code", f"{membership.pk}:{code}"),
        possible_duplicate=_duplicate_address(key, user),
        expires_at=_days(settings.OPENWARD_LETTER_CODE_DAYS),
    )
    audit.record(
        user, "letter.requested", letter, ward_code=ward.gss_code, possible_duplicate=letter.possible_duplicate
    )
    if settings.OPENWARD_LETTER_BACKEND == "notify":
        from .tasks import send_letter_by_notify

        transaction.on_commit(lambda: send_letter_by_notify.enqueue(letter.pk))
    return letter


def _erase_letter(letter: AddressLetter) -> None:
    AddressLetter.objects.filter(pk=letter.pk).update(
        recipient="", address="", postcode="", code="", erased_at=timezone.now()
    )


class WrongCode(VerificationError):
    """A wrong code; the attempt has been counted."""


def confirm_letter_code(user, code_text: str, *, ip: str = "") -> VerificationGrant:
    """Level 2 from the code on a letter: wrong codes count towards a lock; the address is then erased."""
    ratelimit.hit("code-user", str(user.pk))
    ratelimit.hit("code-ip", ip)
    code = clean_code(code_text)
    # Decide inside the transaction, raise after it: a wrong attempt must be saved, not rolled back.
    with transaction.atomic():
        outcome = _check_letter_code(user, code)
    if isinstance(outcome, VerificationError):
        raise outcome
    return outcome


def _check_letter_code(user, code: str):
    letters = list(
        AddressLetter.objects.select_for_update()
        .filter(membership__user=user, erased_at__isnull=True, confirmed_at__isnull=True)
        .select_related("membership__ward")
    )
    if not letters:
        return VerificationError("You have no letter waiting for a code. Ask for a letter first.")
    live = [letter for letter in letters if letter.expires_at > timezone.now()]
    if not live:
        for letter in letters:
            _erase_letter(letter)
        return VerificationError("Your letter's code has expired, so we have removed it. Ask for a new letter.")
    unlocked = [letter for letter in live if letter.locked_at is None]
    if not unlocked:
        return VerificationError(
            "Too many wrong codes: this letter's code is locked. Ask for a new letter, or ask your neighbourhood team."
        )
    for letter in unlocked:
        expected = keyed_hash("letter-code", f"{letter.membership_id}:{code}")
        if len(code) == 8 and secrets.compare_digest(letter.code_hash, expected):
            return _accept_letter(user, letter)
    for letter in unlocked:
        letter.attempts += 1
        if letter.attempts >= settings.OPENWARD_CODE_ATTEMPTS:
            letter.locked_at = timezone.now()
        letter.save(update_fields=["attempts", "locked_at"])
        audit.record(user, "letter.wrong_code", letter, ward_code=letter.membership.ward.gss_code)
    left = settings.OPENWARD_CODE_ATTEMPTS - max(letter.attempts for letter in unlocked)
    if left <= 0:
        return WrongCode(
            "Too many wrong codes: this letter's code is now locked. "
            "Ask for a new letter, or ask your neighbourhood team."
        )
    return WrongCode(f"That code is not right. Check the letter and try again ({left} tries left).")


def _accept_letter(user, letter: AddressLetter) -> VerificationGrant:
    membership = letter.membership
    grant = VerificationGrant.objects.create(
        membership=membership,
        level=Level.ADDRESS,
        method=Method.LETTER,
        expires_at=_days(settings.OPENWARD_ADDRESS_VERIFICATION_DAYS),
        address_key=letter.address_key,
        possible_duplicate=letter.possible_duplicate or _duplicate_address(letter.address_key, user),
        evidence="Code from a letter posted to the address",
    )
    AddressLetter.objects.filter(pk=letter.pk).update(confirmed_at=timezone.now())
    _erase_letter(letter)
    if grant.possible_duplicate:
        Membership.objects.filter(pk=membership.pk).update(
            needs_review=True, review_reason="Another account verified the same address."
        )
    audit.record(user, "verification.granted", grant, ward_code=membership.ward.gss_code, level=2, method="letter")
    return grant


@transaction.atomic
def create_letter_batch(actor, borough) -> LetterBatch | None:
    """Gather every unprinted letter for a borough into a batch for printing (None if there are none)."""
    letters = AddressLetter.objects.unbatched().filter(membership__ward__borough=borough).select_for_update()
    ids = list(letters.values_list("pk", flat=True))
    if not ids:
        return None
    batch = LetterBatch.objects.create(created_by=actor, borough=borough, letter_count=len(ids))
    AddressLetter.objects.filter(pk__in=ids).update(batch=batch)
    audit.record(actor, "letters.batched", batch, letters=len(ids), borough=borough.gss_code)
    return batch


@transaction.atomic
def mark_batch_posted(actor, batch: LetterBatch) -> None:
    """The letters are in the post: forget the codes (their hashes stay to check what people type)."""
    AddressLetter.objects.filter(batch=batch).update(code="")
    audit.record(actor, "letters.posted", batch)


@transaction.atomic
def issue_in_person_reference(user, membership: Membership) -> str:
    """A short reference the person shows an officer or panel chair, who then checks their evidence."""
    if membership.user_id != user.pk:
        raise VerificationError("That is not one of your wards.")
    if not user.is_confirmed:
        raise VerificationError("Confirm your email address first: open the link we emailed you.")
    membership.in_person_references.filter(used_at__isnull=True).delete()
    reference = random_code()
    InPersonReference.objects.create(
        membership=membership,
        reference_hash=keyed_hash("in-person", reference),
        expires_at=timezone.now() + timedelta(hours=settings.OPENWARD_IN_PERSON_REFERENCE_HOURS),
    )
    audit.record(user, "in_person.reference_issued", membership, ward_code=membership.ward.gss_code)
    return reference


def find_reference(actor, ward, reference_text: str) -> InPersonReference:
    """The pending reference a person showed, for this ward only; audited as a staff view of personal data."""
    ratelimit.hit("reference-staff", str(actor.pk))
    reference = (
        InPersonReference.objects.select_related("membership__ward", "membership__user")
        .filter(
            reference_hash=keyed_hash("in-person", clean_code(reference_text)),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            membership__ward=ward,
        )
        .first()
    )
    if reference is None:
        raise VerificationError(
            f"No current reference {clean_code(reference_text)[:8]} for {ward.name}. "
            "Check it with the person; references last a day and work in their own ward only."
        )
    _refuse_own(actor, reference)
    audit.record(actor, "in_person.viewed", reference.membership, ward_code=ward.gss_code)
    return reference


def _refuse_own(actor, reference: InPersonReference) -> None:
    if reference.membership.user_id == actor.pk:
        raise VerificationError(
            "You cannot verify your own address. Ask another officer, a panel chair or a front counter to check it."
        )


IN_PERSON_METHODS = {Method.OFFICER, Method.PANEL_CHAIR, Method.FRONT_COUNTER}


@transaction.atomic
def verify_in_person(
    actor, reference: InPersonReference, *, method: str, identity: str, address_proof: str, note: str = ""
) -> VerificationGrant:
    """Level 2 granted face to face by someone else: the method, and which photo identity and which
    proof of address were seen (never copies of them)."""
    if method not in IN_PERSON_METHODS:
        raise VerificationError(
            "Choose how you checked the person: as an officer, a panel chair, or at a front counter."
        )
    if identity not in IdentityDocument.values:
        raise VerificationError(
            "Choose the photo identity document you saw: " + ", ".join(IdentityDocument.labels).lower() + "."
        )
    if address_proof not in AddressDocument.values:
        raise VerificationError(
            "Choose the document you saw with their name at the address: "
            + ", ".join(AddressDocument.labels).lower()
            + "."
        )
    _refuse_own(actor, reference)
    if not InPersonReference.objects.filter(pk=reference.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise VerificationError("This reference has already been used.")
    membership = reference.membership
    seen = [IdentityDocument(identity).label, AddressDocument(address_proof).label, (note or "").strip()[:80]]
    grant = VerificationGrant.objects.create(
        membership=membership,
        level=Level.ADDRESS,
        method=method,
        granted_by=actor,
        expires_at=_days(settings.OPENWARD_ADDRESS_VERIFICATION_DAYS),
        evidence="; ".join(part for part in seen if part)[:200],
    )
    audit.record(
        actor,
        "verification.granted",
        grant,
        ward_code=membership.ward.gss_code,
        level=2,
        method=method,
        identity=identity,
        address_proof=address_proof,
    )
    return grant


@transaction.atomic
def resolve_review(actor, membership: Membership, *, note: str = "") -> None:
    """A member of staff has looked at a flagged membership and cleared it."""
    Membership.objects.filter(pk=membership.pk).update(needs_review=False, review_reason="")
    audit.record(actor, "membership.reviewed", membership, ward_code=membership.ward.gss_code, note=note[:200])


def erase_lapsed_letters() -> int:
    """Erase the address of every letter that was confirmed or has expired."""
    count = 0
    for letter in AddressLetter.objects.lapsed():
        _erase_letter(letter)
        count += 1
    return count
