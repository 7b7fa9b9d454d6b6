"""Name and place lists for the demo generator: invented people, real-world proportions.

Weights approximate the make-up of IMGs in US graduate medical education (countries of
medical school, specialties, visa statuses); they are demo data, not statistics to quote.
"""

# country code -> (weight, IMG status mix is decided by the Caribbean flag below)
SCHOOL_COUNTRIES: list[tuple[str, float]] = [
    ("IN", 21), ("PK", 8), ("GD", 6), ("DM", 4), ("JM", 2), ("PH", 4), ("NG", 4), ("EG", 4),
    ("MX", 3), ("DO", 3), ("BD", 2), ("NP", 2), ("SY", 2), ("IR", 2), ("CN", 2), ("SA", 1.5),
    ("LB", 1.5), ("JO", 1.5), ("VE", 1.5), ("CO", 1.5), ("BR", 1), ("GH", 1), ("ET", 1), ("KE", 1),
    ("SD", 1), ("LK", 1), ("KR", 1), ("RU", 1), ("UA", 1), ("PL", 1), ("IT", 0.5), ("IE", 0.5),
    ("CU", 0.5), ("TR", 0.5), ("AF", 0.5), ("VN", 0.5), ("US", 6),
]
CARIBBEAN_SCHOOLS = {"GD", "DM", "JM"}  # offshore schools with many US-citizen students

SCHOOL_NAMES: dict[str, list[str]] = {
    "IN": ["All India Institute of Medical Sciences", "Christian Medical College Vellore", "Grant Medical College",
           "Madras Medical College", "Kasturba Medical College"],
    "PK": ["Aga Khan University", "King Edward Medical University", "Dow Medical College"],
    "GD": ["St. George's University"],
    "DM": ["Ross University School of Medicine"],
    "JM": ["University of the West Indies, Mona"],
    "PH": ["University of the Philippines College of Medicine", "University of Santo Tomas"],
    "NG": ["University of Lagos College of Medicine", "University of Ibadan College of Medicine"],
    "EG": ["Cairo University Faculty of Medicine", "Ain Shams University Faculty of Medicine"],
    "MX": ["Universidad Nacional Autónoma de México", "Universidad Autónoma de Guadalajara"],
    "DO": ["Universidad Iberoamericana", "Pontificia Universidad Católica Madre y Maestra"],
    "US": ["State University School of Medicine"],
}

# region key -> (first names, family names, languages besides English)
NAME_POOLS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "south_asia": (
        ["Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Sneha", "Arjun", "Kavya", "Rahul", "Meera", "Imran",
         "Ayesha", "Hassan", "Fatima", "Bilal", "Sana", "Nikhil", "Divya", "Farhan", "Nadia"],
        ["Sharma", "Patel", "Reddy", "Iyer", "Khan", "Ahmed", "Gupta", "Singh", "Nair", "Chowdhury", "Qureshi",
         "Malik", "Rao", "Menon", "Hussain", "Kapoor"],
        ["hi", "ur", "bn", "ta", "te", "ml", "gu", "pa", "ne"],
    ),
    "middle_east": (
        ["Omar", "Layla", "Youssef", "Mariam", "Karim", "Nour", "Ahmad", "Hala", "Tarek", "Rania", "Ali", "Zeinab",
         "Reza", "Shirin"],
        ["Haddad", "Mansour", "Saleh", "Abdallah", "Khalil", "Nasser", "Farouk", "Hosseini", "Rahimi", "Aziz"],
        ["ar", "fa", "tr"],
    ),
    "africa": (
        ["Chinedu", "Adaeze", "Oluwaseun", "Ngozi", "Kwame", "Ama", "Tesfaye", "Selam", "Wanjiru", "Kofi", "Emeka",
         "Folake"],
        ["Okafor", "Adeyemi", "Mensah", "Bekele", "Okonkwo", "Ogunleye", "Kamau", "Owusu", "Abebe", "Eze"],
        ["yo", "ig", "am", "sw"],
    ),
    "latin_america": (
        ["Sofía", "Mateo", "Valentina", "Santiago", "Camila", "Diego", "Lucía", "Andrés", "Isabela", "Carlos",
         "Gabriela", "João"],
        ["García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Silva", "Ramírez", "Torres"],
        ["es", "pt"],
    ),
    "east_asia": (
        ["Wei", "Mei", "Jun", "Hana", "Minh", "Linh", "Jia", "Seo-yeon", "Ji-ho", "Maria", "Jose", "Angelica"],
        ["Chen", "Wang", "Li", "Kim", "Park", "Nguyen", "Tran", "Santos", "Reyes", "Cruz", "Lee"],
        ["zh", "ko", "vi", "tl"],
    ),
    "europe": (
        ["Olena", "Dmitri", "Anna", "Marco", "Giulia", "Katarzyna", "Piotr", "Elena", "Andrei", "Siobhan"],
        ["Kovalenko", "Ivanov", "Rossi", "Kowalski", "Popescu", "Nowak", "Bianchi", "Murphy", "Shevchenko"],
        ["uk", "ru", "it", "pl", "ro"],
    ),
    "north_america": (
        ["Emily", "Michael", "Jessica", "David", "Sarah", "James", "Ashley", "Daniel", "Lauren", "Christopher",
         "Maya", "Jordan"],
        ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Thomas"],
        [],
    ),
}
COUNTRY_POOL: dict[str, str] = {
    **dict.fromkeys(["IN", "PK", "BD", "NP", "LK", "AF"], "south_asia"),
    **dict.fromkeys(["EG", "SY", "LB", "JO", "SA", "IR", "SD", "TR", "IQ", "MA", "TN"], "middle_east"),
    **dict.fromkeys(["NG", "GH", "ET", "KE", "ZA"], "africa"),
    **dict.fromkeys(["MX", "DO", "VE", "CO", "BR", "CU", "PE", "AR"], "latin_america"),
    **dict.fromkeys(["CN", "KR", "VN", "PH", "JP", "TW", "MY"], "east_asia"),
    **dict.fromkeys(["RU", "UA", "PL", "RO", "IT", "IE", "ES", "GR", "DE", "FR", "GB"], "europe"),
    **dict.fromkeys(["US", "CA", "GD", "DM", "JM", "AU"], "north_america"),
}

SPECIALTY_WEIGHTS: list[tuple[str, float]] = [
    ("internal_medicine", 45), ("family_medicine", 14), ("pediatrics", 10), ("psychiatry", 8), ("neurology", 5),
    ("pathology", 4), ("anesthesiology", 3), ("general_surgery", 3), ("emergency_medicine", 2),
    ("obstetrics_gynecology", 2), ("radiology", 2), ("physical_medicine", 2),
]
TRAINING_LEVEL_WEIGHTS: list[tuple[str, float]] = [
    ("applicant", 6), ("pgy1", 30), ("pgy2", 27), ("pgy3", 24), ("pgy4", 5), ("fellow", 8),
]
VISA_WEIGHTS_NON_US_IMG: list[tuple[str, float]] = [
    ("j1", 52), ("h1b", 18), ("permanent_resident", 14), ("citizen", 10), ("o1", 1), ("other", 5),
]

RESEARCH_TOPICS: dict[str, list[str]] = {
    "internal_medicine": ["heart failure outcomes", "sepsis early warning scores", "diabetes care transitions",
                          "antimicrobial stewardship", "hospital readmissions", "atrial fibrillation anticoagulation",
                          "chronic kidney disease progression", "cancer screening disparities"],
    "family_medicine": ["hypertension control in primary care", "community health workers", "rural access to care",
                        "preventive care in immigrant families", "opioid use disorder treatment"],
    "pediatrics": ["neonatal sepsis", "childhood asthma", "vaccine hesitancy", "pediatric obesity",
                   "global child health"],
    "psychiatry": ["depression in medical trainees", "refugee mental health", "addiction treatment access",
                   "physician burnout and wellbeing", "early psychosis"],
    "neurology": ["stroke thrombolysis times", "epilepsy in low-resource settings", "dementia caregiving"],
    "pathology": ["digital pathology", "transfusion medicine quality"],
    "anesthesiology": ["perioperative outcomes", "regional anesthesia", "postoperative delirium"],
    "general_surgery": ["surgical site infection", "trauma systems", "global surgery"],
    "emergency_medicine": ["emergency department crowding", "point-of-care ultrasound"],
    "obstetrics_gynecology": ["maternal mortality", "cervical cancer screening"],
    "radiology": ["imaging appropriateness", "AI in chest radiography"],
    "physical_medicine": ["stroke rehabilitation", "spinal cord injury outcomes"],
}
TAGS = ["quality improvement", "medical education", "health equity", "global health", "clinical trials",
        "outcomes research", "case reports", "advocacy", "wellbeing", "leadership", "informatics", "ethics"]

INSTITUTION_PREFIXES = ["Riverside", "Lakeshore", "Mercy", "St. Luke's", "Northside", "Harbor", "Valley",
                        "Summit", "Unity", "Maple", "Prairie", "Bayview", "Cedar", "Granite", "Brookfield",
                        "Hillcrest", "Pinecrest", "Metro", "Eastern", "Western"]
INSTITUTION_SUFFIXES = ["University Hospital", "Medical Center", "Health System", "Regional Medical Center",
                        "Community Hospital", "Academic Medical Center"]
STATES = [("New York", "NY"), ("New Jersey", "NJ"), ("Michigan", "MI"), ("Illinois", "IL"), ("Texas", "TX"),
          ("Florida", "FL"), ("Pennsylvania", "PA"), ("Ohio", "OH"), ("California", "CA"), ("Maryland", "MD"),
          ("Massachusetts", "MA"), ("Connecticut", "CT"), ("Georgia", "GA"), ("Missouri", "MO")]
STATE_TIME_ZONES = {"CA": "America/Los_Angeles", "TX": "America/Chicago", "IL": "America/Chicago",
                    "MO": "America/Chicago", "MI": "America/Detroit"}
