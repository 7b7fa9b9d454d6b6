"""IMG milestones for the demo network: visa holders get their J-1 or H-1B steps, most IMGs Step 3 and
board eligibility, with dates spread over the coming two years. Bulk inserts only."""

import datetime

from mentora.profiles.models import ImgDetails

from .models import PlanMilestone


def generate(context) -> None:
    rng, today = context.rng, context.today
    demo_mentee = context.logins["mentee"]
    details = dict(ImgDetails.objects.filter(user_id__in=context.mentee_ids).exclude(img_status="us_grad")
                   .order_by("user_id").values_list("user_id", "visa_status").iterator(chunk_size=10_000))

    def day(low: int, high: int) -> datetime.date:
        return today + datetime.timedelta(days=rng.randint(low, high))

    def rows():
        yield PlanMilestone(user_id=demo_mentee.pk, template_key="usmle_step3", due_on=today + datetime.timedelta(days=45))
        yield PlanMilestone(user_id=demo_mentee.pk, template_key="j1_annual_renewal",
                            due_on=today + datetime.timedelta(days=100))
        yield PlanMilestone(user_id=demo_mentee.pk, template_key="j1_waiver_conrad30",
                            due_on=today + datetime.timedelta(days=300), window_closes_on=today + datetime.timedelta(days=330))
        for user_id, visa in details.items():
            if user_id == demo_mentee.pk or rng.random() < 0.5:
                continue
            yield PlanMilestone(user_id=user_id, template_key="usmle_step3", due_on=day(-60, 400))
            if visa == "j1":
                yield PlanMilestone(user_id=user_id, template_key="j1_annual_renewal", due_on=day(10, 300))
                if rng.random() < 0.5:
                    yield PlanMilestone(user_id=user_id, template_key="j1_waiver_conrad30", due_on=day(60, 500))
            elif visa == "h1b":
                yield PlanMilestone(user_id=user_id, template_key="h1b_petition", due_on=day(30, 500))
            if rng.random() < 0.3:
                yield PlanMilestone(user_id=user_id, template_key="board_eligibility", due_on=day(200, 800))

    context.bulk_create(PlanMilestone, rows(), "IMG milestones")
