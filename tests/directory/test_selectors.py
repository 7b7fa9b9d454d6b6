import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentora.directory.selectors import directory_page, mentoring_team
from tests.factories import InstitutionFactory, RelationshipFactory

from .helpers import make_mentor, make_person

pytestmark = pytest.mark.django_db


def names(filters):
    return [offer.user.full_name for offer in directory_page(filters).page.object_list]


@pytest.fixture
def mentors():
    riverside = InstitutionFactory(name="Riverside University Hospital")
    return {
        "ana": make_mentor(name="Ana Cardio", research="heart failure outcomes", languages=["en", "es"],
                           country="MX", img_status="non_us_img", kinds=["career", "research"],
                           institution=riverside, modes=["video"], time_zone="America/Chicago", years=20),
        "ben": make_mentor(name="Ben Neuro", specialty="neurology", research="stroke recovery", languages=["en"],
                           country="US", img_status="us_grad", kinds=["clinical"], modes=["in_person"],
                           accepting=False, years=5),
        "chidi": make_mentor(name="Chidi Sepsis", research="sepsis early warning", languages=["en", "ig"],
                             country="NG", img_status="non_us_img", kinds=["sponsor"], tags=["heart failure"],
                             modes=["phone"], years=12),
        "riverside": riverside,
    }


def test_full_text_search_needs_every_word_somewhere_on_the_profile(mentors):
    assert names({"q": "heart"}) == ["Ana Cardio", "Chidi Sepsis"]  # Chidi by his interest tag
    assert names({"q": "heart outcomes"}) == ["Ana Cardio"]
    assert names({"q": "riverside"}) == ["Ana Cardio"]  # institution name
    assert names({"q": "nobody-has-this"}) == []


@pytest.mark.parametrize(("filters", "expected"), [
    ({"specialty": "neurology"}, ["Ben Neuro"]),
    ({"research": "sepsis"}, ["Chidi Sepsis"]),
    ({"language": "es"}, ["Ana Cardio"]),
    ({"country": "NG"}, ["Chidi Sepsis"]),
    ({"region": "Western Africa"}, ["Chidi Sepsis"]),
    ({"img_status": "us_grad"}, ["Ben Neuro"]),
    ({"kind": "sponsor"}, ["Chidi Sepsis"]),
    ({"meeting_mode": "in_person"}, ["Ben Neuro"]),
    ({"time_zone": "America/Chicago"}, ["Ana Cardio"]),
    ({"accepting": True}, ["Ana Cardio", "Chidi Sepsis"]),
])
def test_each_filter(mentors, filters, expected):
    assert names(filters) == expected


def test_institution_filter_and_sorting(mentors):
    assert names({"institution": mentors["riverside"]}) == ["Ana Cardio"]
    assert names({"sort": "experience"}) == ["Ana Cardio", "Chidi Sepsis", "Ben Neuro"]
    mentee = make_person(name="Mentee")
    RelationshipFactory(mentee=mentee, mentor=mentors["ana"])
    RelationshipFactory(mentee=make_person(name="Other"), mentor=mentors["ana"])
    # Accepting first, then the most free places: Chidi 3 free, Ana 1 free.
    assert names({"sort": "room"}) == ["Chidi Sepsis", "Ana Cardio", "Ben Neuro"]
    assert directory_page({}).load[mentors["ana"].pk] == 2


def _queries_for_page(filters):
    with CaptureQueriesContext(connection) as queries:
        result = directory_page(filters)
        for offer in result.page.object_list:
            _ = offer.user.profile.institution, offer.user.img_details
    return len(queries)


def test_same_number_of_queries_at_two_data_sizes():
    for i in range(3):
        make_mentor(name=f"Small {i}", country="IN", research="outcomes")
    small = [_queries_for_page({}), _queries_for_page({"q": "outcomes", "language": "en", "sort": "room"})]
    for i in range(40):
        mentor = make_mentor(name=f"Large {i}", country="IN", research="outcomes")
        RelationshipFactory(mentee=make_person(name=f"Mentee {i}"), mentor=mentor)
    large = [_queries_for_page({}), _queries_for_page({"q": "outcomes", "language": "en", "sort": "room"})]
    assert small == large


def test_mentoring_team_groups_open_relationships_by_kind():
    mentee = make_person(name="Mentee")
    career = RelationshipFactory(mentee=mentee, mentor=make_mentor(name="Career"), kind="career")
    research = RelationshipFactory(mentee=mentee, mentor=make_mentor(name="Research"), kind="research")
    RelationshipFactory(mentee=mentee, mentor=make_mentor(name="Old"), kind="coach", status="closed")
    team = {group["kind"]: group["relationships"] for group in mentoring_team(mentee=mentee)}
    assert team["career"] == [career]
    assert team["research"] == [research]
    assert team["coach"] == []


@pytest.mark.parametrize("sort", ["name", "room", "experience", "recent"])
def test_keyset_pages_walk_every_mentor_once_both_ways(sort):
    """Pages start after the previous page's last row (no offset): walking Next reaches every mentor
    once in the list's order, walking Previous comes back through the same pages, and a late page
    costs the queries of the first."""
    from mentora.directory.selectors import PAGE_SIZE, directory_queryset

    for i in range(2 * PAGE_SIZE + 5):
        make_mentor(name=f"Mentor {i % 7}", years=(None if i % 5 == 0 else i % 11), capacity=1 + i % 3)
    expected = [offer.pk for offer in directory_queryset({"sort": sort})]
    pages, cursor = [], None
    while True:
        with CaptureQueriesContext(connection) as queries:
            page = directory_page({"sort": sort}, cursor).page
        pages.append(([offer.pk for offer in page], page.number, len(queries)))
        if not page.has_next():
            break
        cursor = page.next_cursor
    assert [pk for rows, _, _ in pages for pk in rows] == expected
    assert [number for _, number, _ in pages] == [1, 2, 3]
    assert len({count for _, _, count in pages}) == 1
    assert page.paginator.count == len(expected) and page.paginator.num_pages == 3
    back = directory_page({"sort": sort}, page.previous_cursor).page
    assert ([offer.pk for offer in back], back.number) == pages[1][:2]
    first = directory_page({"sort": sort}, back.previous_cursor).page
    assert ([offer.pk for offer in first], first.number, first.has_previous()) == (pages[0][0], 1, False)
    assert directory_page({"sort": sort}, "not a cursor").page.number == 1


def test_the_demos_departed_mentor_is_deactivated_and_offered_to_nobody(demo_network):
    from django.contrib.auth import get_user_model

    from mentora.core.demo import DEMO_LOGINS
    from mentora.directory.matching import recommendations_for
    from mentora.directory.selectors import directory_queryset, mentors_by_id

    departed = get_user_model().objects.filter(is_active=False, mentor_offer__isnull=False)
    assert departed.exists()  # the console's audit trail deactivated a departed mentor
    ids = set(departed.values_list("pk", flat=True))
    assert not ids & {offer.user_id for offer in directory_queryset({})}
    mentee = get_user_model().objects.get(email=DEMO_LOGINS["mentee"])
    assert not ids & {row["mentor"] for row in recommendations_for(mentee, limit=50)}
    assert mentors_by_id(ids) == {}


@pytest.mark.parametrize("sort", ["name", "room", "experience", "recent"])
def test_a_page_asked_for_by_its_number_is_the_page_next_reaches(sort):
    """"Go to page N" gives the rows, number and links that walking Next N - 1 times gives, in every sort; a
    number past the end gives the last page, one that is not a number the first."""
    from mentora.directory.selectors import PAGE_SIZE

    for i in range(3 * PAGE_SIZE + 5):
        make_mentor(name=f"Mentor {i % 7}", years=(None if i % 5 == 0 else i % 11), capacity=1 + i % 3)
    walked, cursor = [], None
    while True:
        page = directory_page({"sort": sort}, cursor).page
        walked.append(([offer.pk for offer in page], page.number, page.has_previous(), page.has_next()))
        if not page.has_next():
            break
        cursor = page.next_cursor
    assert len(walked) == 4
    for number in (1, 2, 3, 4):
        page = directory_page({"sort": sort}, page=str(number)).page
        assert ([offer.pk for offer in page], page.number, page.has_previous(), page.has_next()) \
            == walked[number - 1]
        if page.has_next():  # Next from a jumped-to page goes on from there
            after = directory_page({"sort": sort}, page.next_cursor).page
            assert [offer.pk for offer in after] == walked[number][0]
    last = directory_page({"sort": sort}, page="99").page
    assert ([offer.pk for offer in last], last.number) == walked[-1][:2]
    assert directory_page({"sort": sort}, page="two").page.number == 1
    assert directory_page({"sort": sort}, page="0").page.number == 1
    for not_ascii in ("²", "٣", "३"):  # digits to str.isdigit(), not to int()
        assert directory_page({"sort": sort}, page=not_ascii).page.number == 1


def test_the_directory_page_offers_go_to_page_keeping_the_filters(client):
    from mentora.directory.selectors import PAGE_SIZE

    for i in range(3 * PAGE_SIZE + 2):
        make_mentor(name=f"Mentor {i:02d}", specialty="cardiology")
    client.force_login(make_mentor(name="Viewer"))
    html = client.get("/find/", {"specialty": "cardiology", "sort": "name", "page": "3"}).content.decode()
    assert "Page 3 of 4" in html
    assert 'name="page"' in html and 'max="4"' in html
    assert '<input type="hidden" name="specialty" value="cardiology">' in html
    assert "Mentor 40" in html and "Mentor 39" not in html  # the third page of names, 20 a page


def test_pending_counts_read_only_the_persons_own_requests():
    """The dashboard's request counts: one query that names the person in its WHERE clause, so the
    database reads their requests through the indexes, not every pending request of the network."""
    import datetime

    from django.utils import timezone

    from mentora.directory.models import MentorshipRequest
    from mentora.directory.selectors import pending_counts
    from tests.factories import UserFactory

    me, mentor, others = UserFactory(), UserFactory(), [UserFactory() for _ in range(3)]
    later = timezone.now() + datetime.timedelta(days=7)
    MentorshipRequest.objects.create(mentee=me, mentor=mentor, why="w", hopes="h", expires_at=later)
    MentorshipRequest.objects.create(mentee=others[0], mentor=me, why="w", hopes="h", expires_at=later)
    MentorshipRequest.objects.create(mentee=others[1], mentor=me, why="w", hopes="h", expires_at=later)
    MentorshipRequest.objects.create(mentee=others[2], mentor=mentor, why="w", hopes="h", expires_at=later)
    MentorshipRequest.objects.create(mentee=others[0], mentor=me, why="w", hopes="h", expires_at=later,
                                     kind="research", status="declined")
    with CaptureQueriesContext(connection) as captured:
        assert pending_counts(user=me) == {"received": 2, "sent": 1}
    assert len(captured) == 1
    where = captured.captured_queries[0]["sql"].rsplit(" WHERE ", 1)[1]  # the outer one (PostgreSQL writes FILTER (WHERE ...))
    assert f'"mentor_id" = {me.pk}' in where and f'"mentee_id" = {me.pk}' in where
    assert pending_counts(user=others[2]) == {"received": 0, "sent": 1}
    assert pending_counts(user=UserFactory()) == {"received": 0, "sent": 0}
