import pytest
from django.urls import reverse

from mentora.scholarly.models import ScholarlyProject

from .test_services import make_project

pytestmark = pytest.mark.django_db


def test_mentee_starts_a_project_and_bad_deadlines_get_a_form_error(client, cast):
    client.force_login(cast["mentee_a"])
    url = reverse("scholarly:scholarly_project_new", args=[cast["mentee_a"].pk])
    page = client.get(url)
    assert page.status_code == 200 and cast["mentor_a"].full_name in page.content.decode()
    bad = client.post(url, {"title": "Case of TB", "kind": "case_report", "abstract_deadline": "2026-05-02",
                            "submission_deadline": "2026-05-01"})
    assert bad.status_code == 200 and "comes before the abstract deadline" in bad.content.decode()
    assert not ScholarlyProject.objects.exists()
    response = client.post(url, {"title": "Case of TB", "kind": "case_report", "mentors": [cast["mentor_a"].pk]})
    project = ScholarlyProject.objects.get()
    assert response.status_code == 302 and project.program == cast["program"]
    assert list(project.mentors.all()) == [cast["mentor_a"]]


def test_someone_else_cannot_start_a_project_for_a_mentee(client, cast):
    client.force_login(cast["mentee_b"])
    assert client.get(reverse("scholarly:scholarly_project_new", args=[cast["mentee_a"].pk])).status_code == 403


def test_htmx_move_returns_the_board_with_the_card_in_its_new_column(client, cast):
    project = make_project(cast)
    client.force_login(cast["mentor_a"])
    board_url = reverse("scholarly:scholarly_mentee_board", args=[cast["mentee_a"].pk])
    response = client.post(reverse("scholarly:scholarly_project_move", args=[project.pk]),
                           {"stage": "analysis", "next": board_url}, HTTP_HX_REQUEST="true", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == board_url
    project.refresh_from_db()
    assert project.stage == "analysis"
    html = response.content.decode()
    assert 'id="board"' in html and 'value="analysis" selected' in html


def test_move_refuses_outsiders_and_foreign_next_urls(client, cast):
    project = make_project(cast)
    client.force_login(cast["other_coordinator"])
    assert client.post(reverse("scholarly:scholarly_project_move", args=[project.pk]), {"stage": "irb"}).status_code == 403
    client.force_login(cast["mentee_a"])
    response = client.post(reverse("scholarly:scholarly_project_move", args=[project.pk]),
                           {"stage": "irb", "next": "https://evil.example/"})
    assert response["Location"] == reverse("scholarly:scholarly_project_detail", args=[project.pk])


def test_program_board_for_its_coordinators_only(client, cast):
    make_project(cast, title="Heart failure readmissions")
    url = reverse("scholarly:scholarly_program_board", args=[cast["program"].pk])
    client.force_login(cast["coordinator"])
    page = client.get(url)
    assert page.status_code == 200 and "Heart failure readmissions" in page.content.decode()
    client.force_login(cast["other_coordinator"])
    assert client.get(url).status_code == 403


def test_board_pages_have_no_inline_script_or_style(client, cast):
    make_project(cast)
    client.force_login(cast["mentee_a"])
    for url in (reverse("scholarly:scholarly_my_board"), reverse("scholarly:scholarly_mentee_board", args=[cast["mentee_a"].pk]),
                reverse("scholarly:scholarly_project_detail", args=[ScholarlyProject.objects.get().pk])):
        html = client.get(url).content.decode()
        assert "style=" not in html and "<script>" not in html and "onclick" not in html, url


def test_detail_shows_history_and_edits(client, cast):
    project = make_project(cast)
    client.force_login(cast["coordinator"])
    url = reverse("scholarly:scholarly_project_detail", args=[project.pk])
    assert "Stage history" in client.get(url).content.decode()
    response = client.post(url, {"title": "Renamed", "kind": "review", "mentors": [cast["mentor_a"].pk]})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Renamed" and project.kind == "review"
    client.force_login(cast["mentee_b"])
    assert client.get(url).status_code == 403


def test_each_board_card_moves_its_own_project_from_its_own_stage(client, cast):
    import re

    from mentora.scholarly.models import Stage
    from mentora.scholarly.services import project_move

    first = make_project(cast, title="Heart failure readmissions")
    second = make_project(cast, title="Sepsis case report", mentors=[])
    project_move(project=second, stage="irb", by=cast["mentee_a"])
    client.force_login(cast["coordinator"])
    html = client.get(reverse("scholarly:scholarly_program_board", args=[cast["program"].pk])).content.decode()
    for project, stage in ((first, "idea"), (second, "irb")):
        card = html[html.index(f'id="project-{project.pk}"'):]
        card = card[:card.index("</article>")]
        move_url = reverse("scholarly:scholarly_project_move", args=[project.pk])
        assert f'action="{move_url}"' in card and f'hx-post="{move_url}"' in card
        options = re.findall(r'<option value="([^"]+)"( selected)?>([^<]+)</option>', card)
        assert [(value, label) for value, _selected, label in options] == list(Stage.choices)
        assert [value for value, selected, _label in options if selected] == [stage]
        assert cast["mentee_a"].display_name in card
    assert f"mentors: {cast['mentor_a'].display_name}" in html[html.index(f'id="project-{first.pk}"'):]
    second_card = html[html.index(f'id="project-{second.pk}"'):]
    assert "mentors:" not in second_card[:second_card.index("</article>")]
