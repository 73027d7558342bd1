from dataclasses import dataclass

import factory
from django.contrib.auth import get_user_model

from partnerships import services
from partnerships.models import AccessLevel, Agency, JointCase, Officer, Purpose

PASSWORD = "correct-horse-battery-staple"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["acronym"]

    acronym = factory.Sequence(lambda n: f"AG{n}")
    name_en = factory.LazyAttribute(lambda a: f"{a.acronym} Police")
    name_fr = factory.LazyAttribute(lambda a: f"Police {a.acronym}")
    country = "CA"
    level = Agency.Level.FEDERAL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    badge_number = factory.Sequence(lambda n: f"B-{n:05d}")
    email = factory.LazyAttribute(lambda o: f"{o.user.username}@example.org" if o.user else "")
    time_zone = "America/Toronto"


class JointCaseFactory(factory.Factory):
    """Cases are opened through the service, as in the portal, so the lead agency manages them."""

    class Meta:
        model = JointCase

    title = factory.Sequence(lambda n: f"Joint case {n}")
    summary = "Vessel crossings at night"
    program = "ibet"
    releasability = JointCase.Releasability.CA_US
    handling_code = JointCase.HandlingCode.H0

    @classmethod
    def _create(cls, model_class, *, by, **kwargs):
        return services.case_create(by=by, **kwargs)


def share(case, agency, level=AccessLevel.VIEW, *, by):
    return services.case_share(case=case, agency=agency, level=level, by=by, purpose=Purpose.IBET_MOU,
                               reason="Joint investigation (test)")


def unshare(case, agency, *, by, reason="Operation over"):
    return services.case_unshare(case=case, agency=agency, by=by, purpose=Purpose.OTHER, reason=reason)


@dataclass
class Cast:
    alice: object
    bob: object
    charlie: object
    case: JointCase

    @classmethod
    def create(cls):
        rcmp = AgencyFactory(acronym="RCMP", name_en="Royal Canadian Mounted Police",
                             name_fr="Gendarmerie royale du Canada", country="CA")
        cbp = AgencyFactory(acronym="CBP", name_en="U.S. Customs and Border Protection",
                            name_fr="Service des douanes et de la protection des frontières", country="US")
        opp = AgencyFactory(acronym="OPP", name_en="Ontario Provincial Police",
                            name_fr="Police provinciale de l'Ontario", country="CA", level="provincial")
        alice = OfficerFactory(user__username="alice", agency=rcmp, first_name="Alice", last_name="Lead",
                               is_duty_contact=True).user
        bob = OfficerFactory(user__username="bob", agency=cbp, first_name="Bob", last_name="Partner",
                             preferred_language="fr", is_duty_contact=True).user
        charlie = OfficerFactory(user__username="charlie", agency=opp, first_name="Charlie", last_name="Outside",
                                 is_duty_contact=True).user
        case = JointCaseFactory(
            by=alice, title="Detroit River crossings", summary="Night crossings near Fighting Island"
        )
        share(case, cbp, AccessLevel.VIEW, by=alice)
        return cls(alice=alice, bob=bob, charlie=charlie, case=case)
