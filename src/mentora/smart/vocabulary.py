"""Word lists the SMART analyzer reasons with.

Kept apart from the rules so a mentor can read and extend them without reading code.
All entries are lower case.
"""

# Words that introduce the goal but carry no action: "I want to pass ..." is judged as "pass ...".
LEAD_IN_PHRASES = (
    "my goal is to", "my goal is", "the goal is to", "goal:", "i would like to", "i'd like to",
    "i want to", "i plan to", "i hope to", "i need to", "i intend to", "i aim to", "i will",
    "i'll", "i am going to", "i'm going to", "i should", "i must", "plan to", "aim to",
    "want to", "hope to", "need to", "intend to", "be able to", "to",
)

# Verbs naming a state of mind or a direction rather than something another person can see done.
MENTAL_VERBS = frozenset({
    "understand", "know", "learn", "appreciate", "grasp", "master", "familiarize", "familiarise",
    "explore", "consider", "think", "feel", "realize", "realise", "comprehend", "internalize",
    "internalise", "try", "strive", "network", "figure", "sort", "enjoy", "embrace", "value",
    "discover", "experience", "believe", "remember", "navigate", "handle", "deal", "manage",
})

# "Improve X" says which way, not where to: vague unless a target number is given.
DIRECTIONAL_VERBS = frozenset({
    "improve", "increase", "reduce", "lower", "raise", "boost", "decrease", "enhance", "strengthen",
    "optimize", "optimise", "maximize", "maximise", "minimize", "minimise", "grow", "expand",
    "advance", "sharpen", "polish", "refine", "deepen", "broaden", "better", "cut", "build",
    "develop", "work", "focus",
})

# Linking verbs: "be", "become", "get", "stay" are vague when followed by a vague quality.
LINKING_VERBS = frozenset({"be", "become", "get", "stay", "remain", "keep", "do", "feel", "look"})

# Qualities nobody else can check: "a better doctor", "more comfortable", "a top fellowship".
VAGUE_QUALITIES = frozenset({
    "better", "best", "more", "less", "good", "great", "high", "higher", "top", "well", "stronger",
    "strong", "excellent", "comfortable", "confident", "familiar", "involved", "happier", "happy",
    "fluent", "healthier", "productive", "efficient", "proficient", "competent", "harder", "solid", "decent",
    "nice", "expert", "leader", "successful", "organized", "organised", "prepared", "ready",
    "aware", "knowledgeable", "skilled", "effective", "outstanding", "amazing", "awesome",
    "stressed", "tired", "busy", "faster", "smarter", "wiser", "calmer", "balanced", "visible",
    "engaged", "motivated", "disciplined", "consistent", "active", "care",
})

# Identities that are qualities, not roles: "become a leader" (vague) vs "become chief resident".
VAGUE_IDENTITIES = frozenset({
    "leader", "expert", "mentor", "doctor", "physician", "teacher", "clinician", "resident",
    "researcher", "person", "role model", "communicator", "educator", "scientist", "colleague",
})

# Adverbs and quantifiers that stand in for a number without being one.
VAGUE_AMOUNTS = frozenset({
    "more", "better", "less", "regularly", "often", "frequently", "sometimes", "occasionally",
    "much", "lots", "some", "several", "many", "harder", "high", "higher", "top", "best",
    "enough", "plenty", "consistently", "periodically", "routinely",
})

# Nouns that name a kind of thing, not a particular one: "a research paper" (which one?).
GENERIC_OBJECTS = frozenset({
    "research", "paper", "papers", "project", "projects", "qi", "quality", "improvement", "case",
    "cases", "report", "reports", "elective", "electives", "observership", "externship", "article",
    "articles", "study", "studies", "skill", "skills", "thing", "things", "stuff", "knowledge",
    "work", "job", "publication", "publications", "something", "abstract", "poster",
    "presentation", "talk", "course", "class", "exam", "exams", "goal", "goals", "career",
    "interns", "intern", "students", "student", "residents", "patients", "people", "colleagues",
    "team", "others", "topic", "topics", "field", "area", "areas", "activity", "activities",
    "experience", "exposure", "life", "myself", "self", "it", "them", "this", "that", "one",
    "mentor", "time", "medicine", "program", "programs", "specialty", "group", "groups", "club",
    "society", "committee", "organization", "organisation", "association",
})

# Words that carry no content when deciding whether an object is particular.
FUNCTION_WORDS = frozenset({
    "a", "an", "the", "my", "our", "his", "her", "their", "your", "its", "of", "to", "for", "on",
    "in", "at", "with", "about", "and", "or", "from", "into", "onto", "by", "as", "some", "any",
    "new", "own", "me", "i", "we", "up", "out", "all", "every", "each", "this", "that",
    "these", "those", "so", "very", "really", "just", "also", "again", "first",
})

# Verbs whose completion is a checkable, one-off event whatever the object ("pass", "submit").
MILESTONE_VERBS = frozenset({
    "pass", "submit", "publish", "obtain", "earn", "receive", "secure", "win", "match", "apply",
    "schedule", "book", "enroll", "enrol", "register", "sign", "file", "request", "buy",
    "purchase", "paint", "renovate", "install", "launch", "start", "send", "defend", "present",
    "certify", "graduate", "join", "hire", "memorize", "memorise", "pitch", "upload", "found",
    "renew", "pay", "repay", "call", "email", "contact", "ask", "sit", "find", "choose", "pick",
})

# Verbs that describe a checkable event only with a bounded object: "complete the ACLS course"
# ends, "complete my research project" may never; "attend the webinar series" is checkable.
BOUNDED_ACTION_VERBS = frozenset({
    "complete", "finish", "do", "attend", "lead", "chair", "organize", "organise", "host", "run",
    "write", "draft", "create", "design", "establish", "set", "take", "get", "give", "update",
    "deliver", "conduct", "implement", "introduce", "develop", "prepare", "make", "build",
    "shadow", "audit", "record", "log", "use", "review", "read",
})

# Objects that make "complete/finish/do X" bounded: a course ends, a "project" may never.
BOUNDED_OBJECTS = frozenset({
    "course", "courses", "training", "module", "modules", "application", "applications",
    "elective", "observership", "externship", "rotation", "certification", "recertification",
    "exam", "examination", "test", "draft", "bank", "qbank", "curriculum", "program",
    "programme", "workshop", "webinar", "series", "conference", "meeting", "cycle", "session",
    "sessions", "paperwork", "form", "forms", "license", "licence", "card", "visa", "waiver",
    "letter", "letters", "cv", "resume", "statement", "manuscript", "abstract", "poster",
    "protocol", "chapter", "report", "paper", "article", "case", "presentation", "talk",
    "lecture", "blog", "website", "seminar", "simulation", "interview", "interviews", "date",
    "log", "portfolio", "survey", "surveys", "book", "textbook", "certificate", "degree",
    "fellowship", "residency", "job", "position", "offer", "election", "committee", "club",
    "lottery", "room", "kitchen", "car", "phone", "apartment", "house", "movie", "movies",
    "countries", "city", "review", "irb", "proposal", "grant", "thesis", "dissertation", "ecfmg", "usmle", "step", "ite", "boards", "board",
})

# Objects that are open-ended even after a milestone verb ("finish my research project").
UNBOUNDED_OBJECTS = frozenset({"project", "projects", "research", "work", "things", "stuff"})

# Roles a trainee cannot reach within a couple of years.
SENIOR_ROLES = (
    "program director", "programme director", "department chair", "chair of", "chairman", "dean",
    "ceo", "chief executive", "chief medical officer", "cmo", "president of", "hospital president",
    "full professor", "professor", "division chief", "head of department", "medical director",
)

TOP_JOURNALS = (
    "nejm", "new england journal", "lancet", "jama", "nature", "science", "cell", "bmj",
)

CHANCE_OUTCOMES = ("lottery", "jackpot", "nobel prize", "nobel")

UNPREPARED_PHRASES = (
    "not started", "not yet started", "haven't started", "havent started", "have not started",
    "without studying", "without preparing", "without preparation", "no study plan",
    "without a study plan", "without a plan", "not studied", "haven't studied",
    "have not studied", "no time to study",
)

# Daily volumes beyond which a count in a short time frame is unrealistic for a resident
# (already generous: the check flags only counts above twice these rates).
REALISTIC_DAILY_RATES: tuple[tuple[tuple[str, ...], float, str], ...] = (
    (("paper", "papers", "publication", "publications", "manuscript", "manuscripts", "article",
      "articles", "review article", "review articles", "case report", "case reports", "chapter",
      "chapters", "grant", "grants"), 1 / 30, "papers"),
    (("question", "questions", "mcq", "mcqs", "qbank question", "qbank questions"), 120, "questions"),
    (("intubation", "intubations", "central line", "central lines", "line", "lines", "procedure",
      "procedures", "puncture", "punctures", "paracentesis", "paracenteses", "thoracentesis",
      "thoracenteses", "arterial line", "arterial lines", "biopsy", "biopsies", "scope",
      "scopes", "endoscopy", "endoscopies", "delivery", "deliveries", "surgery", "surgeries",
      "operation", "operations"), 2, "procedures"),
    (("case", "cases", "ccs case", "ccs cases", "patient", "patients", "encounter",
      "encounters", "consult", "consults", "admission", "admissions"), 12, "cases"),
    (("chart", "charts", "record", "records", "ecg", "ecgs", "ekg", "ekgs", "survey", "surveys",
      "x-ray", "x-rays", "film", "films", "slide", "slides"), 40, "charts"),
    (("lecture", "lectures", "session", "sessions", "talk", "talks", "presentation",
      "presentations", "poster", "posters", "abstract", "abstracts"), 0.5, "talks"),
    (("kg", "kilogram", "kilograms", "kilo", "kilos"), 1 / 7, "kilograms"),
    (("lb", "lbs", "pound", "pounds"), 2 / 7, "pounds"),
    (("page", "pages"), 80, "pages"),
)

# Domain vocabulary: a goal using any of these belongs in a trainee's learning plan.
# Matched as word prefixes ("cardi" matches cardiology, cardiac).
RELEVANT_STEMS = (
    # clinical care
    "patient", "clinic", "ward", "icu", "micu", "sicu", "ccu", "nicu", "hospital", "inpatient",
    "outpatient", "rounds", "admission", "admit", "discharg", "handoff", "hand-off", "sign-out",
    "signout", "note", "notes", "chart", "physical exam", "procedur", "intubat", "central line",
    "lumbar", "paracent", "thoracent", "ultrasound", "pocus", "ecg", "ekg", "echo", "x-ray",
    "diagnos", "treat", "therap", "medicat", "medicine", "medical", "drug", "antibiotic", "dose",
    "sepsis", "septic", "dka", "hyponatr", "heart", "cardi", "nephro", "renal", "kidney", "pulmon",
    "lung", "gastro", "hepat", "neuro", "onco", "hemat", "dermat", "infectious", "psychiat",
    "pediatr", "paediatr", "surg", "obstet", "gyn", "anesth", "anaesth", "radiol", "patholog",
    "geriatr", "palliative", "hospice", "goals-of-care", "code", "codes", "acls", "bls", "pals",
    "atls", "resuscit", "simulation", "physiolog", "anatomy", "pharmac", "acid-base",
    "diabet", "hypertens", "stroke", "infection", "cauti", "clabsi", "vte", "prophylaxis",
    "readmission", "bedside", "consult", "referral", "hospitalist", "attending", "resident",
    "residency", "residents", "intern", "fellow", "pgy", "doctor", "physician", "clinician",
    "nurse", "nursing", "interpreter", "bad news", "spikes", "i-pass", "morning report",
    "noon conference", "grand rounds", "morbidity", "mortality", "case", "cases", "critical care",
    "emergency", "triage", "vital", "lab", "imaging", "exam", "health", "disease", "symptom",
    "clinical", "elective", "rotation", "shift", "night float", "on call", "call schedule",
    "observership", "externship", "nephrology", "cardiology", "dermatology", "arterial", "venous",
    "catheter", "cannula", "cancer", "tumor", "tumour", "caffeine", "alcohol", "smoking",
    "impostor", "imposter", "harrison", "uptodate", "first aid", "textbook",
    # exams
    "usmle", "step 1", "step 2", "step 3", "step1", "step2", "step3", "ccs", "nbme", "uworld",
    "ite", "in-training", "board", "abim", "mksap", "shelf", "oet", "ielts", "toefl", "qbank",
    "question", "questions", "study", "studying", "biostat", "osce", "plab", "mccqe", "amc",
    "fmge", "comlex", "mrcp", "mrcs", "fcps", "mccee", "passport",
    # research and scholarship
    "research", "publish", "publication", "paper", "manuscript", "journal", "abstract", "poster",
    "case report", "systematic", "meta-analys", "irb", "citi", "data", "chart review",
    "statistic", "epidemiolog", "trial", "cohort", "retrospective", "prospective", "grant",
    "pubmed", "orcid", "author", "nejm", "lancet", "jama", "sgim", "acp", "ama", "conference",
    "congress", "literature", "evidence-based", "scholar", "academic", "review article",
    "science", "scientific",
    # quality improvement and safety
    "qi", "quality", "pdsa", "audit", "compliance", "safety", "error", "protocol", "guideline",
    "checklist", "ihi", "hand hygiene", "improvement",
    # teaching
    "teach", "lecture", "chalk talk", "didactic", "curricul", "precept", "student", "mentor",
    "mentee", "mentoring", "sponsor", "coach", "evaluation", "feedback", "journal club",
    "morning report", "simulation",
    # wellbeing of the trainee
    "wellness", "wellbeing", "well-being", "burnout", "stress", "sleep", "exercis", "workout",
    "gym", "marathon", "running", "walk", "steps", "yoga", "meditat", "mindful", "counsel",
    "therapist", "mental health", "self-care", "take care of myself", "vacation", "rest",
    "tired", "fatigue", "exhaust", "happier", "at work", "work-life", "weight", "kg", "lbs",
    "diet", "nutrition", "healthier", "fitness", "leave",
    # licensing, visas, career
    "visa", "j-1", "j1", "h-1b", "h1b", "o-1", "waiver", "conrad", "green card",
    "permanent resid", "citizenship", "immigration", "uscis", "licens", "licenc", "ecfmg",
    "fsmb", "dea", "certif", "recertif", "credential", "nrmp", "match", "eras", "gme",
    "program director", "program coordinator", "career", "cv", "resume", "recommendation",
    "interview", "job", "position", "fellowship", "application", "network", "img", "society",
    "committee", "leadership", "leader", "chief resident", "ceo", "director", "dean", "faculty",
    "promotion", "award", "portfolio", "personal statement", "linkedin", "doximity",
    # communication
    "communicat", "english", "spanish", "language", "family meeting", "presentation", "speak",
    "public speaking", "present",
)

# Words that usually signal a personal goal outside the learning plan; quoted in the hint.
OFF_TOPIC_WORDS = (
    "guitar", "piano", "violin", "drums", "surf", "surfing", "cooking", "cook", "baking",
    "car", "movie", "movies", "film", "films", "netflix", "marvel", "series", "lottery",
    "instagram", "tiktok", "followers", "youtube", "apartment", "kitchen", "living room",
    "house", "garden", "phone", "iphone", "countries", "travel", "trip", "holiday", "blog",
    "formula 1", "video games", "gaming", "fantasy football", "football", "soccer", "golf",
    "painting", "paint", "fishing", "shopping", "wedding", "tattoo", "boat", "watch",
)
