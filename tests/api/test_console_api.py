"""The site admin console over the API: site admins only, every account action with a reason and audited, through
the console's services; a network's dashboard (figures only) and putting away the first-steps checklist."""

import pytest

from mentora.audit.models import AdminAction
from mentora.background.models import Job
from mentora.insights import selectors
from mentora.onboarding.models import FirstSteps
from mentora.programs.models import Network
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    ProgramFactory,
    RelationshipFactory,
    SensitiveAttributesFactory,
)

pytestmark = pytest.mark.django_db


def _post(client, url, data=None):
    return client.post(url, data=data or {}, content_type="application/json")


def test_people_search_and_detail_for_site_admins_only(cast, client):
    client.force_login(cast["coordinator"])
    refused = client.get("/api/console/people", {"q": cast["mentee_a"].email})
    assert refused.status_code == 403 and refused["Content-Type"] == "application/problem+json"
    client.force_login(cast["admin"])
    found = client.get("/api/console/people", {"q": cast["mentee_a"].email}).json()
    assert [row["id"] for row in found["items"]] == [cast["mentee_a"].pk] and found["count"] == 1
    admins = client.get("/api/console/people", {"role": "admin"}).json()["items"]
    assert [row["id"] for row in admins] == [cast["admin"].pk]
    assert client.get("/api/console/people", {"role": "wizard"}).status_code == 422
    detail = client.get(f"/api/console/people/{cast['mentee_a'].pk}").json()
    assert {m["program_id"] for m in detail["memberships"]} == {cast["program"].pk}
    assert detail["is_active"] is True and detail["history"] == []


def test_deactivate_needs_a_reason_and_is_audited(cast, client):
    person = cast["mentee_b"]
    client.force_login(cast["admin"])
    url = f"/api/console/people/{person.pk}/deactivate"
    short = _post(client, url, {"reason": "no"})
    assert short.status_code == 422 and "at least 10 characters" in short.json()["detail"]
    person.refresh_from_db()
    assert person.is_active and not AdminAction.objects.exists()

    done = _post(client, url, {"reason": "Left the institution in November"})
    assert done.status_code == 200 and done.json()["is_active"] is False
    entry = AdminAction.objects.get()
    assert (entry.action, entry.actor_id, entry.target_id, entry.reason) == (
        "person.deactivate", cast["admin"].pk, str(person.pk), "Left the institution in November")
    assert done.json()["history"][0]["action"] == "person.deactivate"
    assert _post(client, url, {"reason": "Left the institution in November"}).status_code == 409
    log = client.get("/api/console/audit-log", {"action": "person", "q": "November"}).json()
    assert [row["id"] for row in log["items"]] == [entry.pk]

    client.force_login(cast["coordinator"])
    assert _post(client, f"/api/console/people/{person.pk}/reactivate",
                 {"reason": "Came back to the institution"}).status_code == 403
    person.refresh_from_db()
    assert not person.is_active


def test_records_create_and_edit_through_the_console_form(cast, client):
    client.force_login(cast["admin"])
    created = _post(client, "/api/console/records/networks", {"name": "Coastal network", "slug": "coastal",
                                                              "coordinator_emails": [cast["coordinator"].email]})
    assert created.status_code == 201, created.json()
    network = Network.objects.get(slug="coastal")
    assert list(network.coordinators.all()) == [cast["coordinator"]]
    unknown = _post(client, "/api/console/records/networks", {"name": "X", "slug": "x",
                                                              "coordinator_emails": ["nobody@example.org"]})
    assert unknown.status_code == 422 and "invite them first" in unknown.json()["detail"]
    edited = client.patch(f"/api/console/records/networks/{network.pk}", data={"name": "Coast network"},
                          content_type="application/json")
    assert edited.status_code == 200 and edited.json()["fields"]["coordinator_emails"] == [cast["coordinator"].email]
    network.refresh_from_db()
    assert network.name == "Coast network" and network.slug == "coastal"
    assert list(AdminAction.objects.order_by("id").values_list("action", flat=True)) == [
        "network.create", "network.edit"]
    listed = client.get("/api/console/records/programs", {"q": cast["program"].name}).json()
    assert cast["program"].pk in [row["id"] for row in listed["items"]]
    client.force_login(cast["network_coordinator"])
    assert client.get("/api/console/records/programs").status_code == 403


def test_invite_into_a_program(cast, client):
    client.force_login(cast["admin"])
    answer = _post(client, "/api/console/invitations", {"email": "new.person@example.org", "full_name": "New Person",
                                                          "program_id": cast["program"].pk, "role": "mentee",
                                                          "training_level": "pgy1"})
    assert answer.status_code == 201, answer.json()
    assert AdminAction.objects.get().action == "person.invite"
    assert _post(client, "/api/console/invitations", {"email": "not-an-email", "program_id": cast["program"].pk,
                                                        "role": "mentee"}).status_code == 422


def test_backup_start_is_a_job(cast, client, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    client.force_login(cast["mentor_a"])
    assert _post(client, "/api/console/backups").status_code == 403
    client.force_login(cast["admin"])
    started = _post(client, "/api/console/backups")
    assert started.status_code == 202 and started["Location"] == f"/api/jobs/{started.json()['id']}"
    assert Job.objects.get().kind == Job.Kind.BACKUP
    assert _post(client, "/api/console/backups").status_code == 409
    assert client.get("/api/console/backups").json()["items"] == []
    assert client.get("/api/console/backups/none.backup").status_code == 404


def test_network_dashboard_figures_for_its_coordinators(cast, client):
    network = cast["network"]
    program = ProgramFactory(network=network)
    for _index in range(3):  # three mentees asked for a shared gender: too few to show
        mentee = MembershipFactory(program=program, role="mentee").user
        SensitiveAttributesFactory(user=mentee, concordance_wanted=["gender"])
        mentor = MembershipFactory(program=program, role="mentor", training_level="faculty").user
        SensitiveAttributesFactory(user=mentor)
        RelationshipFactory(mentee=mentee, mentor=mentor, program=program, status="active")
    url = f"/api/insights/networks/{network.pk}"
    client.force_login(cast["coordinator"])
    assert client.get(url).status_code == 403
    client.force_login(cast["network_coordinator"])
    assert [n["id"] for n in client.get("/api/insights/networks").json()["items"]] == [network.pk]
    answer = client.get(url).json()
    shown = {row["program_id"]: {f["key"]: f for f in row["figures"]} for row in answer["programs"]}
    assert set(shown) == {cast["program"].pk, program.pk}
    assert shown[program.pk]["concordance"]["suppressed"] is True  # small groups, as on the page
    assert shown[program.pk]["mentees"]["display"] == "3" and "drill" not in shown[program.pk]["mentees"]
    page = dict(selectors.network_rollup(programs=[program], academic_year=answer["academic_year"]))[program]
    assert {key: (f["display"], f["suppressed"]) for key, f in shown[program.pk].items()} == {
        key: (page[key].display, page[key].suppressed) for key, _label in selectors.NETWORK_COLUMNS}
    assert client.get(f"/api/insights/networks/{NetworkFactory().pk}").status_code == 404
    assert client.get(url, {"year": 1990}).status_code == 422


def test_first_steps_dismiss(cast, client):
    client.force_login(cast["mentee_a"])
    assert _post(client, "/api/onboarding/first-steps/dismiss", {"role": "coordinator"}).status_code == 422
    answer = _post(client, "/api/onboarding/first-steps/dismiss", {"role": "mentee"})
    assert answer.status_code == 200 and answer.json()["mentee_dismissed_at"] is not None
    assert FirstSteps.objects.get(user=cast["mentee_a"]).mentor_dismissed_at is None
    client.logout()
    assert _post(client, "/api/onboarding/first-steps/dismiss", {"role": "mentee"}).status_code == 401
