"""The forum cast: the secretariat (Public Safety Canada), and agencies invited to a meeting."""

import datetime

from django.utils import timezone

from cbcf import services
from partnerships.tests.factories import AgencyFactory, OfficerFactory


class Forum:
    def __init__(self, cast):
        self.cast = cast
        ps = AgencyFactory(acronym="PS", name_en="Public Safety Canada", country="CA")
        self.secretariat = OfficerFactory(agency=ps, is_cbcf_secretariat=True, user__username="secretariat",
                                          preferred_language="fr").user
        self.meeting = services.meeting_create(
            by=self.secretariat, title="Senior officials, spring", level="senior", place="Ottawa",
            host_country="CA", starts_at=timezone.now() + datetime.timedelta(days=20),
            participants=[(cast.alice.officer, "member"), (cast.bob.officer, "member")])

    def propose(self, by, title, minutes=20, purpose="discussion"):
        return services.item_propose(by=by, meeting=self.meeting, title_en=title, title_fr=f"{title} (fr)",
                                     summary_en=f"About {title}", summary_fr=f"À propos : {title} — évaluée",
                                     purpose=purpose, presenter="RCMP", minutes=minutes)
