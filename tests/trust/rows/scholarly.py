"""Scholarly projects: owners, the project's mentors, the program's coordinators and the admin."""

import datetime

from django.urls import reverse

from mentora.scholarly.models import ScholarlyProject
from tests.trust.matrix import Row

TITLE = "Probe case report of mentee A"


def _project(c) -> int:
    project = ScholarlyProject.objects.create(title=TITLE, kind="case_report", program=c.program,
                                              stage_changed_on=datetime.date.today(), created_by=c.mentee_a)
    project.owners.add(c.mentee_a)
    project.mentors.add(c.mentor_a)
    return project.pk


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("scholarly:scholarly_my_board", lambda c: (_project(c), reverse("scholarly:scholarly_my_board"))[1], probe=lambda c: TITLE,
        note="own and mentored projects only",
        expect="login 200+  200-  200+  200-  200-  200-  200-  200-"),
    Row("scholarly:scholarly_mentee_board", lambda c: reverse("scholarly:scholarly_mentee_board", args=[c.mentee_a.pk + 0 * _project(c)]),
        probe=lambda c: TITLE, note="mentee A's board",
        expect="login 200+  403   200+  403   200+  403   403   200+"),
    Row("scholarly:scholarly_program_board", lambda c: reverse("scholarly:scholarly_program_board", args=[c.program.pk]),
        "login 403   403   403   403   200   403   302   200"),
    Row("scholarly:scholarly_program_board", lambda c: reverse("scholarly:scholarly_program_board",
                                                             args=[c.other_program.pk]),
        note="a program outside the network", expect="login 403   403   403   403   403   200   403   200"),
    Row("scholarly:scholarly_project_new", lambda c: reverse("scholarly:scholarly_project_new", args=[c.mentee_a.pk]),
        "login 200   403   200   403   200   403   403   200"),
    Row("scholarly:scholarly_project_detail", lambda c: reverse("scholarly:scholarly_project_detail", args=[_project(c)]),
        "login 200   403   200   403   200   403   403   200"),
    Row("scholarly:scholarly_project_detail", lambda c: reverse("scholarly:scholarly_project_detail", args=[999999]), note="nothing",
        expect="login 404   404   404   404   404   404   404   404"),
    Row("scholarly:scholarly_project_move", lambda c: reverse("scholarly:scholarly_project_move", args=[_project(c)]), method="POST",
        data={"stage": "proposal"},
        expect="login 302   403   302   403   302   403   403   302"),
]

_NEW = {"title": "Case report of a rare presentation", "kind": "case_report"}
ROWS += [
    Row("GET /api/scholarly/projects", lambda c: (_project(c), "/api/scholarly/projects")[1], probe=lambda c: TITLE,
        note="own, mentored and coordinated projects",
        expect="401   200+  200-  200+  200-  200+  200-  200-  200+"),
    Row("POST /api/scholarly/projects", lambda c: "/api/scholarly/projects",
        data=lambda c: {**_NEW, "mentee_id": c.mentee_a.pk}, note="for mentee A",
        expect="401   201   403   201   403   201   403   403   201"),
    Row("GET /api/scholarly/projects/{project_id}", lambda c: f"/api/scholarly/projects/{_project(c)}",
        "401   200   404   200   404   200   404   404   200"),
    Row("PUT /api/scholarly/projects/{project_id}", lambda c: f"/api/scholarly/projects/{_project(c)}",
        data={**_NEW, "title": "Renamed"}, expect="401   200   404   200   404   200   404   404   200"),
    Row("POST /api/scholarly/projects/{project_id}/move", lambda c: f"/api/scholarly/projects/{_project(c)}/move",
        data={"stage": "analysis"}, expect="401   200   404   200   404   200   404   404   200"),
]
