"""Deterministic, realistic people for the demo and the benchmarks: `seed_people(...)`.

Determinism: everything (names, departments, teams, managers, tags, texts) comes from the ``rng``
passed in, consumed in a fixed order, so the same seed gives the same organization. Only dates
move: start dates are drawn as "days before ``today``", so a demo seeded any day has newcomers
(~8% started in the last 90 days).

Speed: rows are written with ``bulk_create`` in batches (users, profiles, then the interest and
skill rows), the search document is built in Python, and the database's full-text index (FTS5
triggers on SQLite, the GIN index on PostgreSQL) keeps up by itself. People are generated level by
level (CEO, department heads, sub-department heads, team leads, members), so a manager always has
its primary key before anyone reporting to them is written, and only small per-batch lists are held.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import random
import re
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import QuerySet

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.seeding import SeedContext, SeedReport
from courtyard.people.domain.directory import build_search_document, slugify_tag
from courtyard.people.models import Department, Location, Profile, Tag, Team
from courtyard.people.selectors import directory_options_invalidate
from courtyard.people.services import PATH_SEPARATOR, department_ensure_path, location_ensure, tags_resolve
from courtyard.search.domain.text import normalize_text

# Seeded members have addresses at this (reserved, undeliverable) domain: that is how `--force`
# and the benchmark recognize them without touching anyone else.
SEED_EMAIL_DOMAIN = "northwind.example"
COMPANY = "Northwind"
SIZES = {"demo": 300, "large": 100_000}
MIN_SIZE = 80
BATCH_SIZE = 2_000
NEWCOMER_SHARE = 0.08
NEWCOMER_WINDOW_DAYS = 90
COMPANY_AGE_DAYS = 3_650
TEAM_SIZE = 7.5
# Whose heads are community admins (is_staff) in the seeded organization.
ADMIN_UNITS = frozenset({"People", "People Partners"})

Progress = Callable[[int], Any]


@dataclasses.dataclass(frozen=True)
class SeedResult:
    members: int
    departments: int
    teams: int
    locations: int
    interests: int
    skills: int
    newcomers: int
    admin_emails: tuple[str, ...]
    ceo_email: str


# --- Vocabularies ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Unit:
    """A department (or sub-department) of the plan. ``weight`` only matters for leaves."""

    name: str
    head_title: str
    weight: float = 0.0
    lead_title: str = "Team Lead"
    titles: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    children: tuple[Unit, ...] = ()


ENG_TITLES = ("Software Engineer", "Senior Software Engineer", "Staff Engineer", "Principal Engineer")
ORGANIZATION: tuple[Unit, ...] = (
    Unit(
        "Executive Office", "Chief Executive Officer", 0.0003, "Chief of Staff",
        ("Executive Assistant", "Strategy Associate", "Executive Business Partner"),
        ("Office of the CEO", "Strategy"), ("stakeholder management", "project management", "public speaking"),
    ),
    Unit("Engineering", "Chief Technology Officer", children=(
        Unit(
            "Platform", "Director of Engineering, Platform", 0.09, "Engineering Manager",
            (*ENG_TITLES, "Site Reliability Engineer", "Platform Engineer"),
            ("Core Services", "Developer Experience", "Reliability", "Infrastructure", "Identity", "Networking",
             "Storage", "Build and Release", "Observability", "Cloud Cost"),
            ("Kubernetes", "Go", "Terraform", "AWS", "Linux", "PostgreSQL", "Python", "observability",
             "incident response", "Docker", "CI/CD", "system design", "Kafka", "Redis", "Rust"),
        ),
        Unit(
            "Product Engineering", "Director of Engineering, Product", 0.14, "Engineering Manager",
            (*ENG_TITLES, "Frontend Engineer", "Full-Stack Engineer", "QA Engineer"),
            ("Checkout", "Search", "Onboarding", "Notifications", "Growth", "Billing", "Messaging",
             "Integrations", "Accounts", "Reporting", "Payments", "Catalog"),
            ("Python", "TypeScript", "React", "Django", "SQL", "GraphQL", "JavaScript", "REST APIs", "testing",
             "code review", "accessibility", "PostgreSQL", "Node.js", "Java", "performance tuning"),
        ),
        Unit(
            "Data", "Director of Data", 0.05, "Data Science Manager",
            ("Data Engineer", "Data Scientist", "Analytics Engineer", "Machine Learning Engineer", "Data Analyst"),
            ("Analytics", "Data Platform", "Machine Learning", "Experimentation", "Data Governance"),
            ("SQL", "Python", "dbt", "Spark", "statistics", "machine learning", "Airflow", "Tableau",
             "data modeling", "A/B testing", "pandas", "Looker"),
        ),
        Unit(
            "Mobile", "Director of Engineering, Mobile", 0.035, "Engineering Manager",
            ("iOS Engineer", "Android Engineer", "Senior Mobile Engineer", "Mobile QA Engineer"),
            ("iOS", "Android", "Mobile Platform", "Mobile Growth"),
            ("Swift", "Kotlin", "React Native", "iOS", "Android", "accessibility", "testing", "GraphQL"),
        ),
        Unit(
            "Security", "Chief Information Security Officer", 0.015, "Security Engineering Manager",
            ("Security Engineer", "Security Analyst", "Senior Security Engineer", "GRC Analyst"),
            ("Application Security", "Security Operations", "Governance and Compliance"),
            ("threat modeling", "penetration testing", "security", "incident response", "AWS", "compliance",
             "Python", "Linux"),
        ),
    )),
    Unit(
        "Product", "Chief Product Officer", 0.04, "Group Product Manager",
        ("Product Manager", "Senior Product Manager", "Associate Product Manager", "Product Operations Manager"),
        ("Core Product", "Growth Product", "Platform Product", "Product Operations"),
        ("roadmapping", "product discovery", "user research", "A/B testing", "data analysis", "SQL",
         "stakeholder management", "pricing", "facilitation"),
    ),
    Unit("Design", "VP of Design", children=(
        Unit("Product Design", "Director of Product Design", 0.018, "Design Lead",
             ("Product Designer", "Senior Product Designer", "UX Writer"), ("Design System", "Core Flows", "Mobile Design"),
             ("Figma", "prototyping", "interaction design", "design systems", "accessibility", "typography")),
        Unit("User Research", "Head of User Research", 0.008, "Research Lead",
             ("UX Researcher", "Senior UX Researcher", "Research Operations Specialist"), ("Research",),
             ("user research", "usability testing", "facilitation", "data analysis", "writing")),
        Unit("Brand Design", "Head of Brand Design", 0.006, "Design Lead",
             ("Brand Designer", "Illustrator", "Motion Designer"), ("Brand Studio",),
             ("illustration", "typography", "Figma", "video editing", "brand strategy")),
    )),
    Unit("Sales", "Chief Revenue Officer", children=(
        Unit("EMEA", "Regional Vice President, EMEA", 0.06, "Sales Manager",
             ("Account Executive", "Sales Development Representative", "Enterprise Account Executive"),
             ("DACH", "UK and Ireland", "Nordics", "Southern Europe", "Benelux", "Middle East"),
             ("negotiation", "Salesforce", "prospecting", "enterprise sales", "forecasting", "account planning"),
             ("Berlin", "London", "Lisbon", "Remote")),
        Unit("North America", "Regional Vice President, North America", 0.08, "Sales Manager",
             ("Account Executive", "Sales Development Representative", "Enterprise Account Executive"),
             ("East", "West", "Central", "Canada", "Strategic Accounts", "Mid-Market"),
             ("negotiation", "Salesforce", "prospecting", "enterprise sales", "cold calling", "forecasting"),
             ("New York", "San Francisco", "Toronto", "Remote")),
        Unit("APAC", "Regional Vice President, APAC", 0.035, "Sales Manager",
             ("Account Executive", "Sales Development Representative", "Partner Manager"),
             ("ANZ", "Japan", "South-East Asia", "India"),
             ("negotiation", "Salesforce", "partnerships", "enterprise sales", "prospecting"),
             ("Singapore", "Sydney", "Tokyo", "Bangalore")),
        Unit("LATAM", "Regional Vice President, LATAM", 0.02, "Sales Manager",
             ("Account Executive", "Sales Development Representative"), ("Brazil", "Spanish-speaking LATAM"),
             ("negotiation", "Salesforce", "prospecting", "account planning"), ("São Paulo", "Remote")),
        Unit("Sales Engineering", "Director of Sales Engineering", 0.02, "Solutions Engineering Manager",
             ("Solutions Engineer", "Senior Solutions Engineer", "Solutions Architect"), ("Solutions", "Proofs of Concept"),
             ("demos", "solution selling", "REST APIs", "SQL", "system design", "public speaking")),
    )),
    Unit("Customer Success", "VP of Customer Success", children=(
        Unit("Support", "Director of Support", 0.10, "Support Team Lead",
             ("Support Specialist", "Senior Support Specialist", "Technical Support Engineer"),
             ("Tier 1", "Tier 2", "Billing Support", "Enterprise Support", "Follow the Sun"),
             ("Zendesk", "de-escalation", "technical support", "SQL", "writing", "customer onboarding"),
             ("Lisbon", "Bangalore", "Toronto", "Sydney", "Remote")),
        Unit("Onboarding", "Head of Onboarding", 0.025, "Onboarding Lead",
             ("Onboarding Specialist", "Implementation Manager"), ("Implementation", "Migrations"),
             ("customer onboarding", "training", "project management", "facilitation")),
        Unit("Account Management", "Director of Account Management", 0.04, "Account Management Lead",
             ("Customer Success Manager", "Senior Customer Success Manager", "Renewals Manager"),
             ("Enterprise Accounts", "Growth Accounts", "Renewals"),
             ("account management", "churn analysis", "negotiation", "Salesforce", "stakeholder management")),
    )),
    Unit("Marketing", "Chief Marketing Officer", children=(
        Unit("Brand", "Head of Brand", 0.01, "Brand Lead", ("Brand Manager", "Copywriter", "Social Media Manager"),
             ("Brand", "Social"), ("copywriting", "brand strategy", "video editing", "paid social")),
        Unit("Growth Marketing", "Head of Growth Marketing", 0.015, "Growth Marketing Lead",
             ("Growth Marketing Manager", "Performance Marketer", "Marketing Analyst"), ("Acquisition", "Lifecycle"),
             ("SEO", "paid social", "email marketing", "Google Analytics", "A/B testing", "HubSpot", "SQL")),
        Unit("Content", "Head of Content", 0.01, "Managing Editor", ("Content Writer", "Content Strategist", "Video Producer"),
             ("Editorial", "Video"), ("copywriting", "content strategy", "SEO", "video editing", "writing")),
        Unit("Product Marketing", "Director of Product Marketing", 0.01, "Product Marketing Lead",
             ("Product Marketing Manager", "Competitive Intelligence Analyst"), ("Launches", "Positioning"),
             ("positioning", "public speaking", "presentation design", "user research", "writing")),
        Unit("Events", "Head of Events", 0.006, "Events Lead", ("Event Manager", "Community Manager"),
             ("Events", "Community"), ("event planning", "public speaking", "vendor management", "facilitation")),
    )),
    Unit("People", "Chief People Officer", children=(
        Unit("Recruiting", "Head of Talent Acquisition", 0.015, "Recruiting Lead",
             ("Recruiter", "Technical Recruiter", "Sourcer", "Recruiting Coordinator"), ("Tech Hiring", "Go-to-Market Hiring"),
             ("recruiting", "interviewing", "employer branding", "negotiation", "LinkedIn Recruiter")),
        Unit("People Partners", "Director of People Partnering", 0.008, "Senior People Partner",
             ("People Partner", "People Operations Specialist", "HRIS Analyst"), ("People Partners", "People Operations"),
             ("coaching", "employment law", "HRIS", "facilitation", "mentoring")),
        Unit("Learning and Development", "Head of Learning", 0.004, "Learning Lead",
             ("Learning Designer", "Facilitator"), ("Learning",), ("learning design", "facilitation", "coaching")),
        Unit("Total Rewards", "Head of Total Rewards", 0.003, "Compensation Lead",
             ("Compensation Analyst", "Benefits Specialist"), ("Rewards",), ("compensation", "Excel", "data analysis")),
    )),
    Unit("Finance", "Chief Financial Officer", children=(
        Unit("Accounting", "Controller", 0.01, "Accounting Manager", ("Accountant", "Senior Accountant", "Payroll Specialist"),
             ("General Ledger", "Payables and Receivables", "Payroll"), ("accounting", "NetSuite", "Excel", "audit", "tax")),
        Unit("FP&A", "Head of FP&A", 0.006, "FP&A Manager", ("Financial Analyst", "Senior Financial Analyst"),
             ("Planning", "Business Finance"), ("financial modeling", "forecasting", "budgeting", "Excel", "SQL")),
        Unit("Procurement", "Head of Procurement", 0.004, "Procurement Lead", ("Procurement Specialist", "Buyer"),
             ("Sourcing",), ("procurement", "negotiation", "vendor management", "contract law")),
    )),
    Unit(
        "Legal", "General Counsel", 0.008, "Senior Legal Counsel", ("Legal Counsel", "Privacy Counsel", "Paralegal"),
        ("Commercial", "Privacy", "Employment"), ("contract law", "GDPR", "privacy", "employment law", "compliance", "negotiation"),
    ),
    Unit("Operations", "Chief Operating Officer", children=(
        Unit("IT", "Head of IT", 0.015, "IT Manager", ("IT Support Specialist", "Systems Administrator", "IT Engineer"),
             ("Service Desk", "Endpoints", "Corporate Systems"), ("IT support", "Okta", "Google Workspace", "Jamf", "Linux")),
        Unit("Workplace", "Head of Workplace", 0.012, "Office Manager",
             ("Workplace Coordinator", "Facilities Specialist", "Office Assistant"), ("Berlin Office", "London Office",
             "New York Office", "Bangalore Office", "Remote Experience"), ("facilities", "event planning", "vendor management")),
        Unit("Business Operations", "Director of Business Operations", 0.008, "Business Operations Lead",
             ("Business Operations Analyst", "Program Manager"), ("Strategy and Planning", "Programs"),
             ("process design", "project management", "SQL", "data analysis", "stakeholder management")),
    )),
)

# name, time zone, weight. "Remote" has no time zone of its own: each remote person has theirs.
LOCATIONS: tuple[tuple[str, str, float], ...] = (
    ("Berlin", "Europe/Berlin", 0.16), ("London", "Europe/London", 0.12), ("New York", "America/New_York", 0.12),
    ("San Francisco", "America/Los_Angeles", 0.08), ("Toronto", "America/Toronto", 0.05),
    ("São Paulo", "America/Sao_Paulo", 0.05), ("Bangalore", "Asia/Kolkata", 0.09), ("Singapore", "Asia/Singapore", 0.05),
    ("Sydney", "Australia/Sydney", 0.04), ("Tokyo", "Asia/Tokyo", 0.03), ("Lisbon", "Europe/Lisbon", 0.04),
    ("Remote", "", 0.17),
)
REMOTE_TIMEZONES = (
    "Europe/Madrid", "Europe/Warsaw", "Europe/Dublin", "America/Chicago", "America/Denver", "America/Mexico_City",
    "Africa/Lagos", "Africa/Nairobi", "Asia/Manila", "Asia/Ho_Chi_Minh", "Europe/Athens", "Europe/Amsterdam",
)

# culture: (feminine first names, masculine first names, family names, languages spoken besides English)
CULTURES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "anglo": (
        ("Emma", "Olivia", "Charlotte", "Grace", "Hannah", "Emily", "Sarah", "Rachel", "Megan", "Lauren", "Katherine",
         "Jessica", "Chloe", "Abigail"),
        ("James", "Oliver", "William", "Thomas", "Daniel", "Michael", "Matthew", "Benjamin", "Samuel", "Christopher",
         "Alexander", "Ryan", "Ethan", "Nathan"),
        ("Smith", "Johnson", "Williams", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Walker", "Wright", "Thompson",
         "Hughes", "Clarke", "Robinson", "Campbell", "Murphy", "O'Brien", "Kelly", "Bennett", "Foster"),
        (),
    ),
    "german": (
        ("Anna", "Lena", "Lea", "Hannah", "Julia", "Laura", "Sophie", "Katharina", "Miriam", "Franziska", "Johanna", "Clara"),
        ("Lukas", "Jonas", "Felix", "Maximilian", "Paul", "Leon", "Tobias", "Florian", "Sebastian", "Jan", "Moritz", "Niklas"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schäfer", "Koch",
         "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Krüger"),
        ("German",),
    ),
    "french": (
        ("Camille", "Chloé", "Manon", "Léa", "Inès", "Juliette", "Élodie", "Margaux", "Amélie"),
        ("Louis", "Hugo", "Théo", "Antoine", "Mathieu", "Julien", "Nicolas", "Étienne", "Baptiste"),
        ("Martin", "Bernard", "Dubois", "Laurent", "Lefèvre", "Moreau", "Girard", "Fournier", "Rousseau", "Lambert",
         "Faure", "Mercier"),
        ("French",),
    ),
    "spanish": (
        ("Lucía", "María", "Carmen", "Sofía", "Valentina", "Paula", "Elena", "Isabel", "Ximena", "Daniela"),
        ("Alejandro", "Javier", "Diego", "Pablo", "Sergio", "Mateo", "Andrés", "Carlos", "Santiago", "Luis"),
        ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Díaz",
         "Hernández", "Ruiz", "Torres", "Ramírez", "Morales", "Castillo"),
        ("Spanish",),
    ),
    "portuguese": (
        ("Ana", "Beatriz", "Mariana", "Gabriela", "Larissa", "Camila", "Fernanda", "Juliana", "Inês", "Rita"),
        ("João", "Pedro", "Lucas", "Gabriel", "Rafael", "Thiago", "Bruno", "Gustavo", "Tiago", "Diogo"),
        ("Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Ferreira", "Carvalho", "Ribeiro",
         "Rodrigues", "Barbosa", "Azevedo", "Lima"),
        ("Portuguese",),
    ),
    "indian": (
        ("Priya", "Ananya", "Aditi", "Kavya", "Divya", "Sneha", "Lakshmi", "Meera", "Pooja", "Nisha", "Shreya", "Deepika"),
        ("Arjun", "Rahul", "Vikram", "Rohan", "Aditya", "Karthik", "Siddharth", "Anil", "Suresh", "Varun", "Rajesh", "Amit"),
        ("Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Singh", "Kumar", "Rao", "Menon", "Krishnan", "Joshi",
         "Desai", "Mehta", "Chatterjee", "Banerjee", "Pillai", "Verma"),
        ("Hindi", "Tamil", "Kannada", "Telugu", "Malayalam", "Bengali", "Marathi"),
    ),
    "chinese": (
        ("Mei", "Xiuying", "Lina", "Fang", "Jing", "Yan", "Hui", "Xin", "Qian", "Ying"),
        ("Wei", "Jun", "Hao", "Lei", "Tao", "Ming", "Jie", "Yong", "Chen", "Bo"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Lin", "Tan", "Lim", "Ng"),
        ("Mandarin", "Cantonese"),
    ),
    "japanese": (
        ("Yui", "Haruka", "Aoi", "Sakura", "Yuki", "Misaki", "Nanami", "Emi", "Mio"),
        ("Haruto", "Ren", "Sota", "Takumi", "Kenji", "Hiroshi", "Daiki", "Yuto", "Kaito"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato",
         "Yoshida", "Yamada"),
        ("Japanese",),
    ),
    "korean": (
        ("Ji-woo", "Seo-yeon", "Min-ji", "Ha-eun", "Soo-ah", "Ye-jin"),
        ("Min-jun", "Seo-jun", "Do-hyun", "Ji-ho", "Hyun-woo", "Jae-won"),
        ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Han"),
        ("Korean",),
    ),
    "west_african": (
        ("Adaeze", "Chiamaka", "Ngozi", "Amara", "Folake", "Yetunde", "Abena", "Ama", "Funmilayo"),
        ("Chinedu", "Oluwaseun", "Emeka", "Tunde", "Kwame", "Kofi", "Ifeanyi", "Babajide", "Kwabena"),
        ("Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Nwosu", "Mensah", "Owusu", "Boateng", "Adebayo", "Olawale",
         "Asante"),
        ("Yoruba", "Igbo", "Twi", "Hausa"),
    ),
    "east_african": (
        ("Wanjiru", "Achieng", "Amina", "Makena", "Selam", "Hana", "Zawadi"),
        ("Otieno", "Kamau", "Tesfaye", "Dawit", "Baraka", "Juma", "Abebe"),
        ("Mwangi", "Odhiambo", "Njoroge", "Kiprop", "Haile", "Bekele", "Tadesse", "Wambui"),
        ("Swahili", "Amharic"),
    ),
    "arabic": (
        ("Layla", "Fatima", "Noor", "Yasmin", "Mariam", "Salma", "Rania", "Huda"),
        ("Omar", "Youssef", "Karim", "Hassan", "Tariq", "Khalid", "Ahmed", "Sami"),
        ("Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Farouk", "Aziz", "Hamdan", "Rahman", "El-Amin"),
        ("Arabic", "French"),
    ),
    "turkish": (
        ("Elif", "Zeynep", "Ayşe", "Defne", "Ece", "Merve"),
        ("Emre", "Mehmet", "Can", "Burak", "Mert", "Deniz"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk"),
        ("Turkish", "German"),
    ),
    "polish": (
        ("Zofia", "Agnieszka", "Katarzyna", "Magdalena", "Aleksandra", "Natalia"),
        ("Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Jakub"),
        ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymańska"),
        ("Polish",),
    ),
    "nordic": (
        ("Ingrid", "Astrid", "Freja", "Sigrid", "Maja", "Elin", "Aino"),
        ("Erik", "Lars", "Magnus", "Anders", "Nils", "Henrik", "Mikko"),
        ("Johansson", "Andersson", "Nilsson", "Larsen", "Hansen", "Lindqvist", "Berg", "Lund", "Virtanen", "Korhonen"),
        ("Swedish", "Norwegian", "Danish", "Finnish"),
    ),
    "italian": (
        ("Giulia", "Chiara", "Francesca", "Martina", "Alessia", "Federica"),
        ("Marco", "Luca", "Matteo", "Alessandro", "Davide", "Francesco"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Conti",
         "De Luca"),
        ("Italian",),
    ),
    "vietnamese": (
        ("Linh", "Trang", "Thảo", "Ngọc", "Mai", "Huong"),
        ("Minh", "Huy", "Khoa", "Đức", "Quang", "Tuan"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"),
        ("Vietnamese",),
    ),
    "filipino": (
        ("Maricel", "Kristine", "Angelica", "Joy", "Camille", "Bea"),
        ("Paolo", "Miguel", "Carlo", "Jericho", "Rafael", "Jose"),
        ("Reyes", "Santos", "Cruz", "Bautista", "Garcia", "Mendoza", "Villanueva", "Dela Cruz", "Aquino"),
        ("Tagalog",),
    ),
    "persian": (
        ("Shirin", "Parisa", "Maryam", "Roya", "Niloufar", "Sara"),
        ("Arash", "Reza", "Dariush", "Kian", "Babak", "Navid"),
        ("Hosseini", "Karimi", "Ahmadi", "Rahimi", "Moradi", "Tehrani", "Jafari"),
        ("Persian",),
    ),
    "dutch": (
        ("Sanne", "Femke", "Lotte", "Anouk", "Eva", "Fleur"),
        ("Daan", "Sem", "Bram", "Thijs", "Jeroen", "Ruben"),
        ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Mulder"),
        ("Dutch",),
    ),
    "greek": (
        ("Eleni", "Maria", "Katerina", "Sofia", "Despina"),
        ("Nikos", "Giorgos", "Dimitris", "Kostas", "Yannis"),
        ("Papadopoulos", "Georgiou", "Nikolaidis", "Pappas", "Vlachos", "Christodoulou"),
        ("Greek",),
    ),
}
NEUTRAL_FIRST_NAMES = ("Alex", "Jordan", "Taylor", "Sam", "Robin", "Kai", "Noa", "Ari", "Quinn", "Sasha")
NICKNAMES = {
    "Alexander": "Alex", "Katherine": "Kate", "Christopher": "Chris", "Benjamin": "Ben", "Samuel": "Sam",
    "Matthew": "Matt", "Michael": "Mike", "Maximilian": "Max", "Jessica": "Jess", "Oluwaseun": "Seun",
    "Aleksandra": "Ola", "Franziska": "Franzi", "Krzysztof": "Chris", "Babajide": "Jide", "Funmilayo": "Funmi",
    "Katharina": "Kathi", "Alessandro": "Sandro", "Nathan": "Nate", "Abigail": "Abby", "Sebastian": "Basti",
    "Siddharth": "Sid", "Dimitris": "Jim", "Francesco": "Cesco", "Elizabeth": "Liz",
}
GLOBAL_CULTURES = {
    "anglo": 6, "german": 3, "indian": 4, "spanish": 3, "chinese": 3, "portuguese": 2, "french": 1.5,
    "west_african": 1.5, "japanese": 1, "korean": 0.8, "arabic": 1, "turkish": 0.8, "polish": 1, "nordic": 0.8,
    "italian": 1, "vietnamese": 0.8, "filipino": 0.8, "persian": 0.6, "dutch": 0.6, "greek": 0.5, "east_african": 0.8,
}
LOCATION_CULTURES: dict[str, dict[str, float]] = {
    "Berlin": {"german": 5, "turkish": 1.5, "polish": 1, "italian": 0.7, "arabic": 0.7, "persian": 0.5, "greek": 0.4},
    "London": {"anglo": 5, "indian": 1.5, "west_african": 1, "polish": 0.5, "italian": 0.5, "french": 0.5},
    "New York": {"anglo": 4, "spanish": 1.5, "chinese": 1, "indian": 1, "west_african": 0.7, "italian": 0.6, "korean": 0.4},
    "San Francisco": {"anglo": 3, "chinese": 1.5, "indian": 1.5, "spanish": 1, "vietnamese": 0.7, "filipino": 0.7},
    "Toronto": {"anglo": 3, "chinese": 1, "indian": 1.2, "french": 0.8, "filipino": 0.5, "persian": 0.5},
    "São Paulo": {"portuguese": 6, "italian": 0.8, "japanese": 0.5, "spanish": 0.4, "arabic": 0.3},
    "Bangalore": {"indian": 10},
    "Singapore": {"chinese": 4, "indian": 1.2, "filipino": 0.6, "anglo": 0.5, "vietnamese": 0.4},
    "Sydney": {"anglo": 4, "chinese": 1, "indian": 0.8, "vietnamese": 0.5, "greek": 0.4, "italian": 0.4},
    "Tokyo": {"japanese": 6, "korean": 0.5, "chinese": 0.5, "anglo": 0.4},
    "Lisbon": {"portuguese": 5, "spanish": 0.6, "french": 0.4, "anglo": 0.4},
}
EXTRA_LANGUAGES = ("Spanish", "French", "German", "Mandarin", "Japanese", "Portuguese", "Italian", "Dutch", "Korean")

# Most popular first: drawn with Zipf-like weights, so a few interests are everywhere and most are rare.
INTERESTS = (
    "running", "cooking", "hiking", "photography", "reading", "travel", "coffee", "board games", "yoga", "cycling",
    "podcasts", "climbing", "baking", "movies", "video games", "gardening", "jazz", "chess", "football", "swimming",
    "dogs", "cats", "wine", "craft beer", "tennis", "basketball", "skiing", "surfing", "meditation", "painting",
    "drawing", "creative writing", "poetry", "theatre", "dancing", "salsa", "piano", "guitar", "singing", "choir",
    "vinyl records", "science fiction", "fantasy novels", "comics", "anime", "history", "learning languages",
    "volunteering", "sustainability", "urban sketching", "knitting", "woodworking", "3D printing", "electronics",
    "astronomy", "birdwatching", "fishing", "camping", "sailing", "kayaking", "bouldering", "triathlon", "marathons",
    "pilates", "martial arts", "boxing", "table tennis", "badminton", "cricket", "rugby", "golf", "esports",
    "tabletop RPGs", "puzzles", "crosswords", "sourdough", "tea", "ramen", "street food", "parenting",
    "stand-up comedy", "improv", "film photography", "LEGO", "opera", "K-pop",
)
GENERAL_SKILLS = (
    "public speaking", "project management", "facilitation", "writing", "mentoring", "Excel", "data analysis",
    "stakeholder management", "coaching", "negotiation", "SQL", "presentation design", "Python",
    "user research", "hiring", "Notion", "storytelling", "conflict resolution", "documentation",
)

HIDEABLE = ("start_date", "location", "pronouns", "languages", "ask_me_about", "bio", "timezone")
HIDE_WEIGHTS = (5, 3, 2, 1.5, 1, 1, 0.5)

ASK_ME_ABOUT = (
    "{skill}, and the best {interest} spots around {city}",
    "anything {skill} — happy to pair",
    "how {team} works, and {interest}",
    "{interest}! Also {skill}.",
    "my first year at {company}",
    "{skill} and {skill2}",
    "moving to {city}",
    "{interest} and {interest2}",
)
BIOS = (
    "I joined {company} in {year} and work on **{team}**.\n\nOutside work: {interest} and {interest2}.",
    "{title} in {city}. I care about {skill} and good documentation.\n\n- Favourite hobby: {interest}\n- Ask me about: {skill2}",
    "Hi! I'm {first}. Before {company} I spent a few years elsewhere doing {skill}. Weekends are for {interest}.",
    "Working from {city} on *{department}*. Happy to help newcomers find their way around.",
    "{interest} enthusiast, occasional {interest2} person, full-time {title}.",
)


# --- Sampling helpers -----------------------------------------------------------------------------


class Weighted:
    """Repeated weighted draws with precomputed cumulative weights (``random.choices`` would redo them)."""

    def __init__(self, items: Sequence[str], weights: Sequence[float]) -> None:
        self.items = tuple(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> str:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]

    def draw_distinct(self, rng: random.Random, k: int) -> list[str]:
        chosen: list[str] = []
        for _ in range(k * 3):
            if len(chosen) >= k:
                break
            item = self.draw(rng)
            if item not in chosen:
                chosen.append(item)
        return chosen


def zipf(items: Sequence[str], exponent: float = 0.9) -> Weighted:
    return Weighted(items, [1 / (rank**exponent) for rank in range(1, len(items) + 1)])


def apportion(total: int, weights: Sequence[float], minimum: int) -> list[int]:
    """Split ``total`` into integer shares proportional to ``weights`` (largest remainder), each ≥ ``minimum``."""
    counts = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError(f"Cannot give {len(weights)} parts at least {minimum} each out of {total}.")
    weight_sum = sum(weights)
    exact = [rest * weight / weight_sum for weight in weights]
    for index, value in enumerate(exact):
        counts[index] += int(value)
    leftover = total - sum(counts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - int(exact[i])), i))
    for index in by_remainder[:leftover]:
        counts[index] += 1
    return counts


def email_local_part(first: str, last: str) -> str:
    return ".".join(re.sub(r"[^a-z0-9]+", "", normalize_text(part)) for part in (first, last))


# --- The plan: departments, teams and who reports to whom ------------------------------------------


@dataclasses.dataclass
class TeamPlan:
    team: Team
    location: str
    size: int
    lead_slot: int = -1


@dataclasses.dataclass
class LeafPlan:
    unit: Unit
    department: Department
    size: int
    head_slot: int = -1
    parent_head_slot: int = -1
    teams: list[TeamPlan] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class Person:
    slot: int
    manager_slot: int | None
    email: str
    full_name: str
    preferred_name: str
    pronouns: str
    title: str
    department: Department
    team: Team | None
    location: Location
    timezone: str
    languages: str
    start_date: dt.date
    interests: list[str]
    skills: list[str]
    ask_me_about: str
    bio: str
    hidden_fields: list[str]
    is_staff: bool = False


class PeopleGenerator:
    """Draws people one at a time, from ``rng`` only, in the order it is asked."""

    def __init__(self, rng: random.Random, today: dt.date, locations: dict[str, Location]) -> None:
        self.rng = rng
        self.today = today
        self.locations = locations
        self.location_draw = Weighted([name for name, _, _ in LOCATIONS], [weight for _, _, weight in LOCATIONS])
        self.global_cultures = Weighted(list(GLOBAL_CULTURES), list(GLOBAL_CULTURES.values()))
        self.local_cultures = {
            city: Weighted(list(weights), list(weights.values())) for city, weights in LOCATION_CULTURES.items()
        }
        self.interests = zipf(INTERESTS)
        self.general_skills = zipf(GENERAL_SKILLS)
        self.unit_skills: dict[str, Weighted] = {}
        self.hide = Weighted(HIDEABLE, HIDE_WEIGHTS)
        self.emails: set[str] = set()
        self.slots = 0
        self.newcomers = 0

    def location(self, regions: Sequence[str] = ()) -> str:
        if regions:
            return self.rng.choice(regions)
        return self.location_draw.draw(self.rng)

    def _name(self, city: str) -> tuple[str, str, str, str]:
        """(first, last, gender hint, culture)"""
        rng = self.rng
        local = self.local_cultures.get(city)
        culture = (local if local is not None and rng.random() < 0.6 else self.global_cultures).draw(rng)
        feminine, masculine, family, _ = CULTURES[culture]
        roll = rng.random()
        if roll < 0.03:
            first, gender = rng.choice(NEUTRAL_FIRST_NAMES), "neutral"
        elif roll < 0.515:
            first, gender = rng.choice(feminine), "feminine"
        else:
            first, gender = rng.choice(masculine), "masculine"
        if rng.random() < 0.2:  # families and marriages mix cultures
            family = CULTURES[self.global_cultures.draw(rng)][2]
        return first, rng.choice(family), gender, culture

    def _email(self, first: str, last: str) -> str:
        local = email_local_part(first, last)
        email = f"{local}@{SEED_EMAIL_DOMAIN}"
        counter = 2
        while email in self.emails:
            email = f"{local}{counter}@{SEED_EMAIL_DOMAIN}"
            counter += 1
        self.emails.add(email)
        return email

    def _start_date(self, role: str) -> dt.date:
        rng = self.rng
        if role == "ceo":
            days = COMPANY_AGE_DAYS + 20
        elif role == "head":
            days = rng.randint(COMPANY_AGE_DAYS // 3, COMPANY_AGE_DAYS)
        elif rng.random() < (0.04 if role == "lead" else NEWCOMER_SHARE + 0.015):
            days = rng.randint(0, NEWCOMER_WINDOW_DAYS - 1)
        else:
            # The company grew: more people joined in recent years than in its first ones.
            days = NEWCOMER_WINDOW_DAYS + int((COMPANY_AGE_DAYS - NEWCOMER_WINDOW_DAYS) * rng.random() ** 1.6)
        if days < NEWCOMER_WINDOW_DAYS:
            self.newcomers += 1
        return self.today - dt.timedelta(days=days)

    def _skills(self, unit: Unit) -> list[str]:
        rng = self.rng
        own = self.unit_skills.get(unit.name)
        if own is None:
            own = self.unit_skills[unit.name] = zipf(unit.skills or GENERAL_SKILLS, 0.7)
        count = rng.choice((0, 1, 2, 3, 3, 4, 4, 5, 6, 8))
        skills: list[str] = []
        for _ in range(count * 2):
            if len(skills) >= count:
                break
            skill = (own if rng.random() < 0.75 else self.general_skills).draw(rng)
            if skill not in skills:
                skills.append(skill)
        return skills

    def person(
        self,
        *,
        unit: Unit,
        role: str,
        title: str,
        department: Department,
        team: Team | None,
        city: str,
        manager_slot: int | None,
        is_staff: bool = False,
    ) -> Person:
        rng = self.rng
        first, last, gender, culture = self._name(city)
        full_name = f"{first} {last}"
        preferred = f"{NICKNAMES[first]} {last}" if first in NICKNAMES and rng.random() < 0.6 else ""
        pronouns = ""
        if rng.random() < 0.35:
            pronouns = {"feminine": "she/her", "masculine": "he/him"}.get(gender, "they/them")
            if rng.random() < 0.05:
                pronouns = "they/them"
        location = self.locations[city]
        timezone = location.timezone or rng.choice(REMOTE_TIMEZONES)
        languages = self._languages(culture)
        start_date = self._start_date(role)
        interest_count = 0 if rng.random() < 0.15 else rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7))
        interests = self.interests.draw_distinct(rng, interest_count)
        skills = self._skills(unit)
        team_name = team.name if team is not None else unit.name
        values = {
            "skill": skills[0] if skills else "onboarding",
            "skill2": skills[1] if len(skills) > 1 else "documentation",
            "interest": interests[0] if interests else "coffee",
            "interest2": interests[1] if len(interests) > 1 else "long walks",
            "city": city if city != "Remote" else "home",
            "team": team_name,
            "company": COMPANY,
            "year": start_date.year,
            "title": title,
            "first": first,
            "department": department.path,
        }
        ask_me_about = rng.choice(ASK_ME_ABOUT).format(**values) if rng.random() < 0.3 else ""
        bio = rng.choice(BIOS).format(**values) if rng.random() < 0.25 else ""
        hidden: list[str] = []
        if rng.random() < 0.12:
            hidden = sorted(set(self.hide.draw_distinct(rng, rng.choice((1, 1, 2)))))
        slot = self.slots
        self.slots += 1
        return Person(
            slot=slot, manager_slot=manager_slot, email=self._email(first, last), full_name=full_name,
            preferred_name=preferred, pronouns=pronouns, title=title, department=department, team=team,
            location=location, timezone=timezone, languages=languages, start_date=start_date, interests=interests,
            skills=skills, ask_me_about=ask_me_about, bio=bio, hidden_fields=hidden, is_staff=is_staff,
        )

    def _languages(self, culture: str) -> str:
        rng = self.rng
        if rng.random() < 0.1:
            return ""
        spoken = ["English"]
        native = CULTURES[culture][3]
        if native and rng.random() < 0.85:
            spoken.append(rng.choice(native))
        if rng.random() < 0.2:
            extra = rng.choice(EXTRA_LANGUAGES)
            if extra not in spoken:
                spoken.append(extra)
        return ", ".join(spoken)


# --- Writing --------------------------------------------------------------------------------------


class BulkWriter:
    """Buffers people and writes them in batches: users, profiles, then interest and skill rows."""

    def __init__(
        self, *, password_hash: str, tag_ids: dict[tuple[str, str], int], progress: Progress | None, batch_size: int
    ) -> None:
        self.password_hash = password_hash
        self.tag_ids = tag_ids
        self.progress = progress
        self.batch_size = batch_size
        self.pending: list[Person] = []
        self.slot_pk: dict[int, int] = {}
        self.manager_slots: set[int] = set()
        self.written = 0

    def add(self, person: Person) -> None:
        if person.manager_slot is not None and person.manager_slot not in self.slot_pk:
            self.flush()  # the manager is still in this batch: write it first
        self.pending.append(person)
        if len(self.pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        people, self.pending = self.pending, []
        users = User.objects.bulk_create(
            [User(email=p.email, password=self.password_hash, is_staff=p.is_staff) for p in people]
        )
        profiles = [self._profile(person, user) for person, user in zip(people, users, strict=True)]
        Profile.objects.bulk_create(profiles)
        interest_rows = []
        skill_rows = []
        for person, profile in zip(people, profiles, strict=True):
            if person.slot in self.manager_slots:
                self.slot_pk[person.slot] = profile.pk
            interest_rows += [
                Profile.interests.through(profile_id=profile.pk, tag_id=self.tag_ids[(Tag.Kind.INTEREST, name)])
                for name in person.interests
            ]
            skill_rows += [
                Profile.skills.through(profile_id=profile.pk, tag_id=self.tag_ids[(Tag.Kind.SKILL, name)])
                for name in person.skills
            ]
        Profile.interests.through.objects.bulk_create(interest_rows)
        Profile.skills.through.objects.bulk_create(skill_rows)
        self.written += len(people)
        if self.progress is not None:
            self.progress(len(people))

    def _profile(self, person: Person, user: User) -> Profile:
        return Profile(
            user_id=user.pk,
            full_name=person.full_name,
            preferred_name=person.preferred_name,
            pronouns=person.pronouns,
            title=person.title,
            department_id=person.department.pk,
            team_id=person.team.pk if person.team else None,
            manager_id=self.slot_pk[person.manager_slot] if person.manager_slot is not None else None,
            location_id=person.location.pk,
            timezone=person.timezone,
            languages=person.languages,
            start_date=person.start_date,
            ask_me_about=person.ask_me_about,
            bio=person.bio,
            hidden_fields=person.hidden_fields,
            search_document=build_search_document(
                full_name=person.full_name,
                preferred_name=person.preferred_name,
                email=person.email,
                title=person.title,
                department_path=person.department.path,
                team=person.team.name if person.team else "",
                location=person.location.name,
                interests=person.interests,
                skills=person.skills,
                ask_me_about=person.ask_me_about,
                languages=person.languages,
            ),
        )


# --- Entry points ---------------------------------------------------------------------------------


def seed_size(size: int | str) -> int:
    members = SIZES[size] if isinstance(size, str) and size in SIZES else int(size)
    if members < MIN_SIZE:
        raise ValueError(f"A seeded organization needs at least {MIN_SIZE} people (asked for {members}).")
    return members


def seeded_profiles() -> QuerySet[Profile]:
    return Profile.objects.filter(user__email__endswith=f"@{SEED_EMAIL_DOMAIN}")


def _teams_ensure(department: Department, names: list[str]) -> dict[str, Team]:
    existing = {team.name: team for team in Team.objects.filter(department=department, name__in=names)}
    missing = [Team(name=name, department=department) for name in names if name not in existing]
    if missing:
        Team.objects.bulk_create(missing)
        existing = {team.name: team for team in Team.objects.filter(department=department, name__in=names)}
    return existing


def _walk(units: Sequence[Unit], parent: Unit | None = None) -> Iterator[tuple[Unit, Unit | None]]:
    for unit in units:
        yield unit, parent
        yield from _walk(unit.children, unit)


@transaction.atomic
def seed_people(
    *,
    size: int | str,
    rng: random.Random,
    password_hash: str | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
    batch_size: int = BATCH_SIZE,
) -> SeedResult:
    """Create a whole organization of ``size`` people ("demo", "large" or a number) from ``rng``.

    ``password_hash`` (from ``make_password``, computed once) is given to everyone; without it
    passwords are unusable. ``progress(n)`` is called after each batch of ``n`` people.
    """
    total = seed_size(size)
    today = today or clock.now().date()
    locations: dict[str, Location] = {}
    for name, tz, _ in LOCATIONS:
        location = location_ensure(name, tz)
        if location is None:
            raise ValueError(f"Bad location name {name!r}")
        locations[name] = location
    tag_ids: dict[tuple[str, str], int] = {}
    skill_names = sorted({*GENERAL_SKILLS, *(s for unit, _ in _walk(ORGANIZATION) for s in unit.skills)})
    for kind, names in ((Tag.Kind.INTEREST, INTERESTS), (Tag.Kind.SKILL, skill_names)):
        for start in range(0, len(names), 25):  # tags_resolve takes a form's worth of names at a time
            tags_resolve(kind, names[start : start + 25])
        # A tag that existed before with other capitalization keeps its name: map ours by slug.
        by_slug = {tag.slug: tag.pk for tag in Tag.objects.filter(kind=kind)}
        for name in names:
            tag_ids[(kind, name)] = by_slug[slugify_tag(name)]

    # Departments: a two-level tree. Parents without members of their own hold only their head.
    departments: dict[str, Department] = {}
    for unit, parent in _walk(ORGANIZATION):
        path = unit.name if parent is None else f"{parent.name}{PATH_SEPARATOR}{unit.name}"
        department = department_ensure_path(path)
        if department is None:
            raise ValueError(f"Bad department path {path!r}")
        departments[unit.name if parent is None else path] = department
    leaves = [(unit, parent) for unit, parent in _walk(ORGANIZATION) if not unit.children]
    parents = [unit for unit in ORGANIZATION if unit.children]
    sizes = apportion(total - len(parents), [unit.weight for unit, _ in leaves], minimum=2)

    generator = PeopleGenerator(rng, today, locations)
    plans: list[LeafPlan] = []
    team_count = 0
    for (unit, parent), leaf_size in zip(leaves, sizes, strict=True):
        department = departments[unit.name if parent is None else f"{parent.name}{PATH_SEPARATOR}{unit.name}"]
        plan = LeafPlan(unit=unit, department=department, size=leaf_size)
        rest = leaf_size - 1  # the head
        if rest > 0:
            count = max(1, round(rest / TEAM_SIZE))
            team_sizes = apportion(rest, [rng.uniform(0.6, 1.4) for _ in range(count)], minimum=1)
            names = [
                unit.teams[i % len(unit.teams)] + (f" {i // len(unit.teams) + 1}" if i >= len(unit.teams) else "")
                for i in range(count)
            ]
            teams = _teams_ensure(department, names)
            plan.teams = [
                TeamPlan(team=teams[name], location=generator.location(unit.regions), size=team_size)
                for name, team_size in zip(names, team_sizes, strict=True)
            ]
            team_count += count
        plans.append(plan)

    writer = BulkWriter(
        password_hash=password_hash or make_password(None), tag_ids=tag_ids, progress=progress, batch_size=batch_size
    )
    admin_emails: list[str] = []

    def add(person: Person) -> Person:
        writer.manager_slots.add(person.slot)  # cheap: only used for people who manage someone
        writer.add(person)
        return person

    # Level 0 and 1: the CEO, and the heads of top-level departments reporting to them.
    executive = plans[0]
    ceo = add(generator.person(
        unit=executive.unit, role="ceo", title=executive.unit.head_title, department=executive.department,
        team=None, city="Berlin", manager_slot=None,
    ))
    executive.head_slot = ceo.slot
    top_heads: dict[str, int] = {}
    for unit in ORGANIZATION[1:]:
        head = add(generator.person(
            unit=unit, role="head", title=unit.head_title, department=departments[unit.name], team=None,
            city=generator.location(), manager_slot=ceo.slot, is_staff=unit.name in ADMIN_UNITS,
        ))
        top_heads[unit.name] = head.slot
        if head.is_staff:
            admin_emails.append(head.email)
    # Level 2: heads of sub-departments (a leaf at the top level is headed by its top-level head).
    for plan, (unit, parent) in zip(plans, leaves, strict=True):
        if plan is executive:
            continue
        if parent is None:
            plan.head_slot = top_heads[unit.name]
            continue
        head = add(generator.person(
            unit=unit, role="head", title=unit.head_title, department=plan.department, team=None,
            city=generator.location(unit.regions), manager_slot=top_heads[parent.name],
            is_staff=unit.name in ADMIN_UNITS,
        ))
        plan.head_slot = head.slot
        if head.is_staff:
            admin_emails.append(head.email)
    # Level 3: team leads (a team of one or two has no lead title: they report to the head).
    for plan in plans:
        for team in plan.teams:
            title = plan.unit.lead_title if team.size >= 3 else rng.choice(plan.unit.titles)
            lead = add(generator.person(
                unit=plan.unit, role="lead", title=title, department=plan.department, team=team.team,
                city=team.location, manager_slot=plan.head_slot,
            ))
            team.lead_slot = lead.slot
    # Level 4: everyone else, reporting to their team lead; most sit where their team sits.
    writer.flush()
    titles_by_unit = {plan.unit.name: Weighted(plan.unit.titles, [1 / (i + 1) for i in range(len(plan.unit.titles))])
                      for plan in plans}
    for plan in plans:
        for team in plan.teams:
            for _ in range(team.size - 1):
                city = team.location if rng.random() < 0.8 else generator.location()
                writer.add(generator.person(
                    unit=plan.unit, role="member", title=titles_by_unit[plan.unit.name].draw(rng),
                    department=plan.department, team=team.team, city=city, manager_slot=team.lead_slot,
                ))
    writer.flush()
    return SeedResult(
        members=writer.written,
        departments=len(departments),
        teams=team_count,
        locations=len(locations),
        interests=len(INTERESTS),
        skills=len(skill_names),
        newcomers=generator.newcomers,
        admin_emails=tuple(admin_emails),
        ceo_email=ceo.email,
    )


def seeded_people_delete(*, chunk_size: int = 5_000, progress: Progress | None = None) -> int:
    """Remove the people a previous seed created (and what cascades from them); others are kept."""
    seeded = seeded_profiles()
    # Reporting lines first, so deleting a manager does not update their reports one by one.
    Profile.objects.filter(manager__in=seeded.values("pk")).update(manager=None)
    user_ids = list(User.objects.filter(email__endswith=f"@{SEED_EMAIL_DOMAIN}").values_list("pk", flat=True))
    for start in range(0, len(user_ids), chunk_size):
        chunk = user_ids[start : start + chunk_size]
        Profile.interests.through.objects.filter(profile__user_id__in=chunk).delete()
        Profile.skills.through.objects.filter(profile__user_id__in=chunk).delete()
        with transaction.atomic():
            User.objects.filter(pk__in=chunk).delete()
        if progress is not None:
            progress(len(chunk))
    return len(user_ids)


# --- The seeder (core/seeding.py) ---------------------------------------------------------------------------


class PeopleSeeder:
    """People first: every other part needs members."""

    name = "people"
    order = 10

    def counts(self) -> dict[str, int]:
        return {"people": Profile.objects.count(), "seeded": seeded_profiles().count()}

    def delete_seeded(self, ctx: SeedContext) -> SeedReport:
        existing = Profile.objects.count()
        seeded = seeded_profiles().count()
        with ctx.progress(seeded, "people", "Deleting earlier seed") as bar:
            deleted = seeded_people_delete(progress=bar)
        kept = existing - seeded
        return SeedReport(headline=f"Deleted {deleted:,} seeded people" + (f"; kept {kept:,} others." if kept else "."))

    def seed(self, ctx: SeedContext) -> SeedReport:
        started = time.perf_counter()
        with ctx.progress(ctx.members, "people", "Seeding people") as bar:
            people = seed_people(size=ctx.members, rng=ctx.rng(self.name), password_hash=ctx.password_hash, progress=bar)
        seconds = time.perf_counter() - started
        directory_options_invalidate()  # the departments, teams and locations the filters offer
        details = [
            f"  {people.departments} departments, {people.teams:,} teams, {people.locations} locations, "
            f"{people.interests} interests, {people.skills} skills, {people.newcomers:,} newcomers",
            f"  CEO: {people.ceo_email}; community admins: {', '.join(people.admin_emails)}",
        ]
        if ctx.password_hash is None:
            details.append("  Seeded members have no usable password (use --password to sign in as them).")
        return SeedReport(
            headline=f"Seeded {people.members:,} people in {seconds:.1f} s.", details=details,
            audit={"members": people.members}, result=people,
        )


SEEDER = PeopleSeeder()
