"""The IMG milestone templates: what each step is, where the official source is, when to remind.

Wording is factual and points to the official source; it is never legal or immigration advice
(every page that shows these carries DISCLAIMER). Rules change: each entry says to check the
source, and the coordinator of a deployment can edit the texts here.
"""

from dataclasses import dataclass

DISCLAIMER = (
    "These milestones are general information with links to the official sources, not legal or "
    "immigration advice. Rules, fees and dates change and depend on your situation: check the official "
    "source, your program's GME office, and for visa questions your sponsor or an immigration attorney."
)


@dataclass(frozen=True)
class MilestoneTemplate:
    key: str
    title: str
    category: str  # "exams", "certification", "licensure", "visa", "boards"
    summary: str
    source_name: str
    source_url: str
    date_label: str  # what the date the mentee enters means
    remind_days_before: tuple[int, ...]
    has_window: bool = False  # the date is when a window opens; a second date may close it


TEMPLATES: tuple[MilestoneTemplate, ...] = (
    MilestoneTemplate(
        key="ecfmg_certification",
        title="ECFMG certification",
        category="certification",
        summary=("ECFMG certification is required for an IMG to enter an ACGME-accredited residency or fellowship. "
                 "It combines passing USMLE Step 1 and Step 2 CK, meeting a communication skills requirement, and "
                 "verification of the medical diploma and final transcript."),
        source_name="ECFMG: Certification", source_url="https://www.ecfmg.org/certification/",
        date_label="Target date for certification", remind_days_before=(90, 30, 7),
    ),
    MilestoneTemplate(
        key="usmle_step3",
        title="USMLE Step 3",
        category="exams",
        summary=("Step 3 is the final exam of the USMLE sequence, taken over two days, usually during residency. "
                 "Eligibility requires passing Step 1 and Step 2 CK and holding an MD or DO degree (or ECFMG "
                 "certification); application is through the FSMB. Some state boards limit how many years may "
                 "pass between steps."),
        source_name="USMLE: Step 3", source_url="https://www.usmle.org/step-exams/step-3",
        date_label="Exam date (or the end of your eligibility period)", remind_days_before=(120, 30, 7),
    ),
    MilestoneTemplate(
        key="state_licence_application",
        title="State medical licence application",
        category="licensure",
        summary=("Each state medical board sets its own requirements; many require more years of US graduate medical "
                 "education from IMGs than from US graduates. Credential verification (e.g. through the FSMB's "
                 "FCVS) can take months, so applications are often started well ahead."),
        source_name="FSMB: State licensure", source_url="https://www.fsmb.org/licensure/",
        date_label="Date you plan to submit the application", remind_days_before=(180, 60, 14),
    ),
    MilestoneTemplate(
        key="j1_annual_renewal",
        title="J-1 sponsorship renewal for the next training year",
        category="visa",
        summary=("J-1 physicians in clinical training are sponsored by ECFMG (EVSP). Continuing into a new training "
                 "year requires an application for continued sponsorship and an updated DS-2019, submitted through "
                 "the program before the current DS-2019 ends."),
        source_name="ECFMG: Exchange Visitor Sponsorship Program", source_url="https://www.ecfmg.org/evsp/",
        date_label="End date on your current DS-2019", remind_days_before=(120, 60, 30),
    ),
    MilestoneTemplate(
        key="j1_end_of_program",
        title="End of the J-1 period",
        category="visa",
        summary=("The DS-2019 shows the end of the exchange program. J-1 clinical training for physicians is limited "
                 "in total length, and physicians are generally subject to the two-year home-country physical "
                 "presence requirement unless it is waived."),
        source_name="U.S. Department of State: J-1 Exchange Visitor Program",
        source_url="https://j1visa.state.gov/programs/physician/",
        date_label="Program end date on your DS-2019", remind_days_before=(365, 180, 90, 30),
    ),
    MilestoneTemplate(
        key="j1_waiver_conrad30",
        title="J-1 waiver application window (e.g. Conrad 30)",
        category="visa",
        summary=("The Conrad 30 program lets each state health department recommend up to 30 J-1 physicians a year "
                 "for a waiver of the two-year home residence requirement, in exchange for service in an "
                 "underserved area. Each state sets its own application dates and criteria; many open once a year "
                 "and fill quickly."),
        source_name="USCIS: Conrad 30 Waiver Program",
        source_url="https://www.uscis.gov/working-in-the-united-states/students-and-exchange-visitors/conrad-30-waiver-program",
        date_label="Date your state's application window opens", remind_days_before=(180, 60, 14),
        has_window=True,
    ),
    MilestoneTemplate(
        key="h1b_petition",
        title="H-1B petition timing",
        category="visa",
        summary=("An H-1B petition is filed by the employer, not the physician. USCIS accepts a petition up to six "
                 "months before the employment start date. Universities and affiliated non-profit or government "
                 "research organisations are exempt from the annual cap; other employers take part in the cap "
                 "registration."),
        source_name="USCIS: H-1B Specialty Occupations",
        source_url="https://www.uscis.gov/working-in-the-united-states/h-1b-specialty-occupations",
        date_label="Employment start date the petition is for", remind_days_before=(240, 180, 120),
    ),
    MilestoneTemplate(
        key="board_eligibility",
        title="Board eligibility and certification exam",
        category="boards",
        summary=("Specialty boards (members of the ABMS, such as the ABIM) set training requirements for admission "
                 "to the initial certification exam and how long a physician stays board eligible after training."),
        source_name="ABIM: Initial certification", source_url="https://www.abim.org/certification/",
        date_label="Exam date or registration deadline", remind_days_before=(120, 30, 7),
    ),
)

BY_KEY = {template.key: template for template in TEMPLATES}
CATEGORY_LABELS = {
    "certification": "Certification", "exams": "Licensing exams", "licensure": "Licensure",
    "visa": "Visa and immigration", "boards": "Board certification",
}
