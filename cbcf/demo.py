"""CBCF's demo data: a subgroup, three initiatives, and the next senior officials' meeting (PROTECTED B, titled in
both languages) with its principal, delegate and member, two accepted agenda items with their briefing notes in
English and French (the first with a background paper titled in both), one proposed, and an open action item: the
briefing book built from it shows real notes."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cbcf import services as cbcf_services
from cbcf.models import Initiative, Meeting, Subgroup
from partnerships.models import Agency

INITIATIVES = [  # English title, French title, owners, partnership, target date, status
    ("Expand ShipRider to new sites", "Étendre ShipRider à de nouveaux sites", ["RCMP", "USCG"], "shiprider",
     (2027, 6, 30), "on_track"),
    ("Cross-border radio interoperability", "Interopérabilité radio transfrontalière", ["PS", "DHS"], "",
     (2027, 3, 31), "at_risk"),
    ("Next-generation integrated enforcement pilots", "Projets pilotes d'application intégrée de nouvelle génération",
     ["RCMP", "CBP"], "ibet", (2026, 12, 31), "late"),
]


# The demo meeting's people: the principal, a delegate and whom she stands in for (in English and French), a member.
PARTICIPANTS = [
    ("hsi.agent", "principal", "", ""),
    ("rcmp.analyst", "delegate", "Deputy Commissioner, Federal Policing (RCMP)",
     "Sous-commissaire, Police fédérale (GRC)"),
    ("cbp.agent", "member", "", ""),
]
# The background paper of the first item: its title in both languages, its file.
PAPER = ("Joint threat assessment: fentanyl precursors, Windsor–Detroit",
         "Évaluation conjointe de la menace : précurseurs du fentanyl, Windsor–Detroit",
         "precursor-threat-assessment.txt",
         "Joint threat assessment (RCMP, HSI): precursor chemicals in the Windsor-Detroit corridor.\n")

# The demo agenda: proposer, purpose, minutes, accepted, and the texts of its briefing note in English and French.
AGENDA = [
    ("rcmp.analyst", "decision", 30, True, {
        "title_en": "Fentanyl precursors through Windsor", "title_fr": "Précurseurs du fentanyl par Windsor",
        "summary_en": "Precursor chemicals for fentanyl move through the Windsor–Detroit corridor in commercial "
                      "parcels; the IBET and BEST teams propose a joint targeting cell.",
        "summary_fr": "Des précurseurs chimiques du fentanyl transitent par le corridor Windsor–Detroit dans des "
                      "colis commerciaux; les équipes des EIPF et des BEST proposent une cellule de ciblage conjointe.",
        "context_en": "Seizures of precursor chemicals at the Ambassador Bridge rose over the last two quarters. Most "
                      "shipments were declared as industrial solvents and addressed to front companies in Ontario "
                      "and Michigan.",
        "context_fr": "Les saisies de précurseurs chimiques au pont Ambassador ont augmenté au cours des deux derniers "
                      "trimestres. La plupart des envois étaient déclarés comme solvants industriels et adressés à "
                      "des sociétés écrans en Ontario et au Michigan.",
        "issue_en": "Each country sees only its half of the supply chain: CBSA and CBP targeting rules differ, and "
                    "leads reach the other country's investigators days late.",
        "issue_fr": "Chaque pays ne voit que sa moitié de la chaîne d’approvisionnement\u00a0: les règles de ciblage "
                    "de l’ASFC et du CBP diffèrent, et les pistes parviennent aux enquêteurs de l’autre pays avec "
                    "des jours de retard.",
        "recommendation_en": "That senior officials approve a six-month joint precursor targeting cell at Windsor, "
                             "staffed by CBSA, CBP, RCMP and HSI, reporting to the next meeting.",
        "recommendation_fr": "Que les hauts fonctionnaires approuvent une cellule conjointe de ciblage des "
                             "précurseurs, pour six mois, à Windsor, dotée par l’ASFC, le CBP, la GRC et HSI, qui "
                             "fera rapport à la prochaine réunion.",
        "background": "Joint threat assessment: fentanyl precursors in the Windsor–Detroit corridor (RCMP, HSI).",
        "background_fr": "Évaluation conjointe de la menace\u00a0: précurseurs du fentanyl dans le corridor "
                         "Windsor–Detroit (GRC, HSI).",
    }),
    ("hsi.agent", "information", 20, True, {
        "title_en": "BEST results for the year", "title_fr": "Résultats des BEST de l’année",
        "summary_en": "The BEST units' arrests, indictments, convictions and seizures for the year, against the "
                      "targets set last year.",
        "summary_fr": "Les arrestations, mises en accusation, déclarations de culpabilité et saisies des unités BEST "
                      "pour l’année, par rapport aux objectifs fixés l’an dernier.",
        "context_en": "BEST units on the northern border work with Canadian officers designated under Title 19.",
        "context_fr": "Les unités BEST de la frontière nord travaillent avec des agents canadiens désignés en vertu "
                      "du titre 19.",
        "issue_en": "Prosecution referrals take longer when the evidence was gathered in Canada.",
        "issue_fr": "Les renvois en vue de poursuites prennent plus de temps lorsque la preuve a été recueillie au "
                    "Canada.",
        "recommendation_en": "That senior officials note the results and ask Justice Canada and the US Department "
                             "of Justice for a joint guide on evidence gathered across the border.",
        "recommendation_fr": "Que les hauts fonctionnaires prennent acte des résultats et demandent à Justice Canada "
                             "et au département de la Justice des États-Unis un guide commun sur la preuve "
                             "recueillie de part et d’autre de la frontière.",
    }),
    ("cbp.agent", "discussion", 20, False, {
        "title_en": "Radio interoperability pilots", "title_fr": "Projets pilotes d’interopérabilité radio",
        "summary_en": "Radio interoperability pilots: where we stand.",
        "summary_fr": "Projets pilotes d’interopérabilité radio\u00a0: où nous en sommes.",
        "issue_en": "Marine units on the St. Lawrence still relay through dispatch centres.",
        "issue_fr": "Les unités maritimes du Saint-Laurent passent encore par les centres de répartition.",
    }),
]

def load():
    """Create whatever CBCF demo rows are missing."""
    agencies = Agency.objects.in_bulk(field_name="acronym")
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["rcmp.analyst", "hsi.agent", "cbp.agent", "cbcf.secretariat"])}
    secretariat = users["cbcf.secretariat"]
    if not Subgroup.objects.exists():
        cbcf_services.subgroup_create(by=secretariat, name_en="Fentanyl and drugs", name_fr="Fentanyl et drogues",
                                      canadian_co_chair=users["rcmp.analyst"].officer,
                                      american_co_chair=users["hsi.agent"].officer)
    for title_en, title_fr, owners, partnership, target, status in INITIATIVES:
        initiative, created = Initiative.objects.get_or_create(title_en=title_en, defaults={
            "title_fr": title_fr, "text_en": title_en + ".", "text_fr": title_fr + ".", "partnership": partnership,
            "target_date": date(*target), "status": status})
        if created:
            initiative.owners.set([agencies[acronym] for acronym in owners])
    if not Meeting.objects.exists():
        meeting = cbcf_services.meeting_create(
            by=secretariat, title="Senior officials, winter 2027", title_fr="Hauts fonctionnaires, hiver 2027",
            marking="protected_b", level="senior", place="Ottawa", host_country="CA",
            starts_at=(timezone.now() + timedelta(days=30)).replace(hour=14, minute=0, second=0, microsecond=0),
            participants=[(users[name].officer, "member") for name in ("rcmp.analyst", "hsi.agent", "cbp.agent")])
        for name, role, stands_in_for, stands_in_for_fr in PARTICIPANTS:
            cbcf_services.participant_set(by=secretariat, meeting=meeting, officer=users[name].officer, role=role,
                                          delegate_for=stands_in_for, delegate_for_fr=stands_in_for_fr)
        for number, (by, purpose, minutes, accepted, texts) in enumerate(AGENDA):
            item = cbcf_services.item_propose(by=users[by], meeting=meeting, purpose=purpose, minutes=minutes,
                                              presenter=users[by].officer.agency.acronym, **texts)
            if accepted:  # the book built from the demo has real notes; the third waits for the secretariat
                cbcf_services.item_decide(by=secretariat, item=item, status="accepted")
            if number == 0:
                title_en, title_fr, name, text = PAPER
                cbcf_services.paper_attach(item=item, by=secretariat, title_en=title_en, title_fr=title_fr,
                                           upload=SimpleUploadedFile(name, text.encode(), "text/plain"))
        cbcf_services.action_add(
            by=secretariat, meeting=meeting, owner=agencies["RCMP"], due_on=timezone.localdate() + timedelta(days=45),
            text="Circulate the joint precursor threat assessment to every forum member",
            text_fr="Diffuser l’évaluation conjointe de la menace liée aux précurseurs à tous les membres du forum")
    return {}
