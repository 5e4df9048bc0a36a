"""Builds pairs.jsonl, the labelled set of listing pairs (same job / different job) for dedup tests.

Invented companies and roles; descriptions assembled from a company intro, a team paragraph,
responsibilities, requirements by level, a stack line and benefits, the way real ads are. Positives
are one ad as other boards show it (reformatted titles, legal names, truncation, board boilerplate,
small edits, missing descriptions); negatives are the hard cases: one company's other openings
(seniority, specialism, team, level, contract, office) and the same title at other companies.
Deterministic: run it again after editing and commit both files.

    .venv/bin/python tests/dedup/make_pairs.py
"""
# ruff: noqa: E501  (data tables read better one entry a line)

import json
import random
from pathlib import Path

rng = random.Random(20240611)

COMPANIES = {
    "acme": dict(names=["Acme", "ACME Inc.", "Acme, Inc.", "acme.io"], city="Berlin", country="DE",
                 blurb="Acme builds the invoicing and cash-flow platform used by more than 40,000 small businesses across Europe. We are a team of 180 people, profitable since 2021, and we ship to production dozens of times a day.",
                 benefits="We offer 30 days of paid holiday, a yearly learning budget of 2,000 EUR, a company pension plan and a fresh laptop of your choice."),
    "globex": dict(names=["Globex", "Globex Corporation", "Globex Corp."], city="London", country="GB",
                   blurb="Globex is a logistics technology company that helps freight forwarders track millions of shipments in real time. Our customers include three of the ten largest carriers in the world.",
                   benefits="Benefits include private health insurance, a 4,000 GBP home-office budget, share options and a generous parental leave policy."),
    "initech": dict(names=["Initech", "Initech, LLC", "INITECH LLC"], city="Austin", country="US",
                    blurb="Initech provides payroll and benefits software to mid-sized companies in North America. Since 2016 we have processed over 20 billion dollars in payroll.",
                    benefits="We cover 100% of medical, dental and vision premiums, match 401(k) contributions up to 4% and offer unlimited PTO with a 15-day minimum."),
    "umbrella": dict(names=["Umbrella Health", "Umbrella Health GmbH"], city="Munich", country="DE",
                     blurb="Umbrella Health builds clinical data infrastructure for hospitals in Germany, Austria and Switzerland. Our software connects lab systems, patient records and billing in a privacy-first way.",
                     benefits="You get a Deutschlandticket, 28 vacation days plus your birthday off, subsidised gym membership and flexible working hours."),
    "hooli": dict(names=["Hooli", "Hooli Ltd", "Hooli Limited"], city="Dublin", country="IE",
                  blurb="Hooli is building the search and recommendation engine behind several of Europe's largest online marketplaces. We index more than two billion product listings every day.",
                  benefits="We provide a pension contribution, health cover for you and your family, a quarterly team offsite and a budget for conferences."),
    "vandelay": dict(names=["Vandelay Industries", "Vandelay Industries Inc"], city="New York", country="US",
                     blurb="Vandelay Industries operates a marketplace for industrial import and export, connecting manufacturers with buyers in 60 countries. We are backed by leading fintech investors.",
                     benefits="Competitive salary and equity, comprehensive health coverage, a monthly wellness stipend and a hybrid office in Manhattan."),
    "soylent": dict(names=["Soylent Labs", "Soylent Labs B.V.", "SoylentLabs"], city="Amsterdam", country="NL",
                    blurb="Soylent Labs makes food-supply planning software for grocery chains. Our forecasting models reduce food waste for more than 1,200 stores in the Benelux and Nordics.",
                    benefits="We offer a 30% ruling application where eligible, a travel allowance, 27 holidays and an annual company trip."),
    "wonka": dict(names=["Wonka", "Wonka SAS", "Wonka S.A.S."], city="Paris", country="FR",
                  blurb="Wonka is a Paris-based startup building e-commerce infrastructure for independent food brands. We power the online shops of more than 3,000 producers.",
                  benefits="Tickets restaurant, a Swile card, 50% of your public transport pass, full health insurance (mutuelle) and BSPCE stock options."),
    "stark": dict(names=["Stark Analytics", "Stark Analytics AG"], city="Zurich", country="CH",
                  blurb="Stark Analytics provides risk analytics for private banks and asset managers. Our platform evaluates portfolios worth over 300 billion francs every night.",
                  benefits="We pay a top-of-market salary, contribute generously to your pension fund, and offer five weeks of holidays and a half-fare travel card."),
    "tyrell": dict(names=["Tyrell", "Tyrell Corp", "The Tyrell Corporation"], city="Toronto", country="CA",
                   blurb="Tyrell builds identity verification tools that banks and telecoms use to onboard customers securely. We verify more than a million identities a month.",
                   benefits="Health and dental from day one, RRSP matching, a home-office setup budget and four weeks of vacation."),
    "cyberdyne": dict(names=["Cyberdyne Systems", "Cyberdyne Systems Ltd."], city="Manchester", country="GB",
                      blurb="Cyberdyne Systems develops monitoring software for industrial robots in car plants and warehouses. Our agents run on more than 50,000 machines.",
                      benefits="25 days of holiday plus bank holidays, an enhanced pension, cycle-to-work scheme and private medical insurance."),
    "gringotts": dict(names=["Gringotts", "Gringotts Bank", "Gringotts Bank Ltd"], city="London", country="GB",
                      blurb="Gringotts is a digitally native bank for freelancers and small businesses in the UK. We hold a full banking licence and serve more than 400,000 customers.",
                      benefits="We offer a discretionary bonus, private healthcare, a 6% pension contribution and 27 days of annual leave."),
    "monarch": dict(names=["Monarch Energy", "Monarch Energy GmbH"], city="Hamburg", country="DE",
                    blurb="Monarch Energy builds software to balance renewable power in the grid. We control battery storage and heat pumps in 90,000 households.",
                    benefits="A company bike, 30 days of vacation, a learning budget and a modern office by the harbour."),
    "oceanic": dict(names=["Oceanic Travel", "Oceanic Travel S.L."], city="Barcelona", country="ES",
                    blurb="Oceanic Travel is an online travel agency specialised in multi-stop trips across Europe and Latin America. We sell more than two million tickets a year.",
                    benefits="Flexible hours, private health insurance, a yearly travel credit and Spanish lessons for newcomers."),
    "pied": dict(names=["Pied Piper", "Pied Piper Inc."], city="San Francisco", country="US",
                 blurb="Pied Piper builds a compression and storage platform for media companies. Our middle-out codec stores petabytes of video for broadcasters.",
                 benefits="Equity, premium health insurance, a 401(k) plan, and a yearly 1,500 USD learning stipend."),
    "nakatomi": dict(names=["Nakatomi Trading", "Nakatomi Trading Co."], city="Vienna", country="AT",
                     blurb="Nakatomi Trading runs an algorithmic trading desk for European energy and commodity markets. Our systems trade around the clock on eleven exchanges.",
                     benefits="A performance bonus, 25 days of leave, lunch in the office every day and a relocation package."),
    "duff": dict(names=["Duff Data", "Duff Data Oy"], city="Helsinki", country="FI",
                 blurb="Duff Data builds a product analytics platform used by mobile game studios. We process 30 billion events a month for our customers.",
                 benefits="Occupational healthcare, sports and culture benefits, lunch benefit and flexible remote work."),
    "sirius": dict(names=["Sirius Cybernetics", "Sirius Cybernetics AB"], city="Stockholm", country="SE",
                   blurb="Sirius Cybernetics makes customer support automation for e-commerce. Our assistant answers millions of customer questions in 20 languages.",
                   benefits="Six weeks of vacation, a wellness allowance, a pension plan and parental leave top-up."),
    "rekall": dict(names=["Rekall", "Rekall Inc.", "rekall.com"], city="Seattle", country="US",
                   blurb="Rekall builds a memory and knowledge platform for support teams. Our search helps agents find answers across tickets, docs and chat.",
                   benefits="Competitive pay and equity, fully paid health insurance, 20 days PTO and a remote-work stipend."),
    "bluth": dict(names=["Bluth Company", "The Bluth Company", "Bluth Co."], city="Los Angeles", country="US",
                  blurb="Bluth Company builds property management software for residential landlords. More than 300,000 apartments are managed with our tools.",
                  benefits="Medical, dental and vision insurance, 401(k) matching, a hybrid schedule and paid volunteer days."),
    "prestige": dict(names=["Prestige Worldwide", "Prestige Worldwide Ltd"], city="Lisbon", country="PT",
                     blurb="Prestige Worldwide is an events ticketing platform serving festivals and clubs in Southern Europe. We sell tickets for more than 8,000 events per year.",
                     benefits="Health insurance, a meal allowance, a flexible schedule and a yearly festival pass."),
    "dunder": dict(names=["Dunder Mifflin", "Dunder Mifflin Paper Co."], city="Warsaw", country="PL",
                   blurb="Dunder Mifflin runs a B2B marketplace for office supplies with warehouses in Poland, Czechia and Germany. We ship 40,000 orders every day.",
                   benefits="Private medical care, a Multisport card, B2B or employment contract and a budget for training."),
    "zorg": dict(names=["Zorg", "Zorg GmbH"], city="Vienna", country="AT",
                 blurb="Zorg builds a scheduling platform for care homes. Nurses plan shifts, track visits and report care in one mobile app.",
                 benefits="A Klimaticket, 25 vacation days, a meal allowance and a yearly team retreat in the Alps."),
    "ollivander": dict(names=["Ollivander", "Ollivanders Ltd"], city="Edinburgh", country="GB",
                       blurb="Ollivander makes recommendation APIs for online bookshops. We match readers with books across a catalogue of 15 million titles.",
                       benefits="Flexible working, 30 days holiday, an employer pension contribution of 8% and a book allowance."),
}
# A second company with a near-identical name, to test that similar names are not merged.
COMPANIES["acme_robotics"] = dict(names=["Acme Robotics", "Acme Robotics Ltd"], city="Bristol", country="GB",
    blurb="Acme Robotics designs autonomous picking robots for warehouses. Our fleet picks more than a million items a week for retailers in the UK.",
    benefits="Share options, 25 days holiday, private medical cover and free lunches on office days.")

TEAMS = {
    "payments": "You will join the Payments team, which owns card acquiring, SEPA transfers and the ledger that records every movement of money.",
    "search": "You will join the Search team, which owns indexing, ranking and the query API behind every search box in the product.",
    "platform": "You will join the Platform team, which builds the internal services, tooling and paved roads that every product team relies on.",
    "billing": "You will join the Billing team, responsible for subscriptions, invoicing, dunning and revenue recognition.",
    "identity": "You will join the Identity team, responsible for sign-up, login, single sign-on and permissions across the product.",
    "ingestion": "You will join the Data Ingestion team, which receives events from thousands of customer systems and makes them queryable within seconds.",
    "risk": "You will join the Risk team, which detects fraud and money laundering and decides which transactions need a human review.",
    "catalog": "You will join the Catalog team, which manages the product data, prices and availability of millions of items.",
    "notifications": "You will join the Notifications team, which sends emails, push messages and SMS to our users in the right language at the right time.",
    "integrations": "You will join the Integrations team, which builds and maintains connectors to the ERP, accounting and HR systems our customers use.",
    "growth": "You will join the Growth team, which runs experiments on onboarding, activation and pricing pages.",
    "forecasting": "You will join the Forecasting team, which turns sales history, weather and promotions into demand forecasts for every store.",
    "core": "You will join the Core team, which owns the main web application and its public API.",
}

BODY = {
    "backend": [
        "You will design and build services in Python, mostly with Django and Django REST Framework, backed by PostgreSQL.",
        "You will write clean, well-tested code and review the code of your peers with care.",
        "You will own features end to end, from the first design document to monitoring them in production.",
        "You will improve the performance of slow queries and background jobs as our data grows.",
        "You will work closely with product managers and designers to decide what to build next.",
        "You will help us split a large monolith into well-defined modules without stopping feature work.",
        "You will build asynchronous APIs with FastAPI and asyncio that serve thousands of requests per second.",
        "You will take part in a fair on-call rotation and help make incidents rarer and shorter.",
        "You will design database schemas and migrations that keep working with hundreds of millions of rows.",
        "You will integrate third-party APIs and make them reliable with retries, idempotency keys and good observability.",
    ],
    "frontend": [
        "You will build user interfaces in TypeScript and React, with a strong eye for accessibility.",
        "You will maintain our design system and make sure components are consistent across the product.",
        "You will work with designers to turn Figma prototypes into fast, responsive pages.",
        "You will improve page load times and Core Web Vitals across the application.",
        "You will write component tests with Testing Library and end-to-end tests with Playwright.",
        "You will collaborate with backend engineers on the shape of the APIs the frontend consumes.",
    ],
    "data": [
        "You will build and maintain data pipelines with Airflow, dbt and Python that feed our warehouse.",
        "You will model data in Snowflake so that analysts and product teams can answer their own questions.",
        "You will improve data quality with tests, contracts and alerting on broken pipelines.",
        "You will work with Kafka and Spark to process event streams at scale.",
        "You will help define how we store, document and govern customer data under GDPR.",
        "You will partner with data scientists to bring their models from notebooks into production pipelines.",
    ],
    "ml": [
        "You will train, evaluate and deploy machine learning models with PyTorch and scikit-learn.",
        "You will design experiments and offline metrics that predict online impact.",
        "You will build feature pipelines and a model registry shared by the whole team.",
        "You will monitor models in production for drift and degraded performance.",
        "You will work with product managers to find problems where machine learning brings real value.",
    ],
    "devops": [
        "You will run our Kubernetes clusters on AWS and manage them with Terraform and Argo CD.",
        "You will improve our CI pipelines so that every change reaches production safely within minutes.",
        "You will build observability with Prometheus, Grafana and OpenTelemetry.",
        "You will automate database backups, failover drills and disaster recovery.",
        "You will help engineers across the company run their services reliably and securely.",
    ],
    "manager": [
        "You will lead a team of six to eight engineers and help each of them grow in their career.",
        "You will run hiring for your team, from writing the job description to closing candidates.",
        "You will work with product and design leads to set the team's roadmap and priorities.",
        "You will keep delivery predictable and make technical debt visible to the business.",
        "You will hold regular one-on-ones and give honest, actionable feedback.",
    ],
}

REQS = {
    "junior": ["You have up to two years of professional experience with Python, or a strong portfolio of personal projects.",
               "You are eager to learn, ask questions early and enjoy pairing with more experienced engineers."],
    "mid": ["You have three or more years of professional experience building web applications with Python.",
            "You are comfortable with SQL, Git and writing automated tests."],
    "senior": ["You have at least six years of experience building and operating production systems, most of them in Python.",
               "You have mentored other engineers and led technical decisions on a team."],
    "staff": ["You have ten or more years of experience and have shaped the architecture of systems used by millions.",
              "You lead through influence across several teams and write design documents others like to read."],
    "lead": ["You have experience leading a team of engineers while staying hands-on with the code.",
             "You care about delivery, quality and the wellbeing of your team in equal measure."],
    "manager": ["You have at least two years of experience managing software engineers.",
                "You have a background as a backend engineer and can still follow a technical discussion in depth."],
}

STACK = {
    "backend": "Our stack: Python 3.12, Django, PostgreSQL, Redis, Celery, Docker and AWS.",
    "frontend": "Our stack: TypeScript, React, Next.js, Tailwind and a GraphQL gateway.",
    "data": "Our stack: Python, Airflow, dbt, Snowflake, Kafka and Looker.",
    "ml": "Our stack: Python, PyTorch, scikit-learn, MLflow, Ray and Kubernetes.",
    "devops": "Our stack: Kubernetes on AWS, Terraform, Argo CD, Prometheus and Grafana.",
    "manager": "Our stack: Python, Django, PostgreSQL, React and AWS.",
}

BOARD_BOILER = [
    "This position was found on our job board. Mention that you found it here when you apply!",
    "Please apply through the link below. Applications sent by email will not be considered.",
    "Salary and benefits information may be incomplete. See the full posting for details.",
    "Posted by the hiring team. We review every application within two weeks.",
]


def describe(company, role, *, body_seed, reqs=None):
    c = COMPANIES[company]
    r = random.Random(body_seed)
    body = r.sample(BODY[role["kind"]], 3)
    parts = [c["blurb"]]
    if role.get("team"):
        parts.append(TEAMS[role["team"]])
    parts += body
    parts += REQS[reqs or role["level"]]
    parts.append(STACK[role["kind"]])
    parts.append(c["benefits"])
    return " ".join(parts)


def loc_fields(loc):
    """loc: ("remote", country or None) or ("onsite"/"hybrid", city, country)."""
    if loc[0] == "remote":
        country = loc[1]
        raw = {None: "Remote", "US": "Remote - United States", "DE": "Remote (Germany)", "GB": "Remote, UK"}.get(country, f"Remote ({country})")
        return dict(location_raw=raw, remote="remote", locations=[{"country": country, "region": None, "city": None}] if country else [])
    mode, city, country = loc
    return dict(location_raw=f"{city}, {country}" + (" (Hybrid)" if mode == "hybrid" else ""), remote=mode,
                locations=[{"country": country, "region": None, "city": city}])


_ids = iter(range(100000, 999999))


STATES_TYPE = {"greenhouse", "lever", "ashby", "jsonld", "himalayas", "remotive", "jobicy", "arbeitnow"}


def listing(source, title, company_name, loc, description, employment_type="full_time"):
    d = dict(source=source, external_id=str(next(_ids)), title=title, company=company_name,
             employment_type=employment_type if source in STATES_TYPE else None)
    d.update(loc_fields(loc))
    d["description_text"] = description
    return d


SOURCES = ["remotive", "remoteok", "weworkremotely", "jobicy", "himalayas", "greenhouse", "lever", "ashby",
           "arbeitnow", "pythonorg", "hn", "jsonld"]


def two_sources():
    a, b = rng.sample(SOURCES, 2)
    return a, b


# --- description edits that boards make ------------------------------------------------------

def truncate(text, words):
    return " ".join(text.split()[:words]) + " …"


def add_boiler(text):
    return text + " " + rng.choice(BOARD_BOILER)


def drop_benefits(text, company):
    return text.replace(" " + COMPANIES[company]["benefits"], "")


def small_edits(text):
    swaps = [("You will", "You'll"), (" and ", " & "), ("Python", "python"), ("at least", "a minimum of"),
             ("experience", "hands-on experience"), (" our ", " the "), ("We offer", "We provide"),
             ("team", "squad")]
    for old, new in rng.sample(swaps, 3):
        text = text.replace(old, new, 1)
    return text


def bulletise(text):
    return "\n• ".join(s for s in text.split(". ")) + "\n"


def prefix_title(text, title, company):
    return f"{title} at {company}. " + text


EDITS = ["same", "truncate", "boiler", "drop_benefits", "small_edits", "bulletise", "prefix", "boiler+edits",
         "truncate_short"]


def edit(text, kind, company, title):
    if kind == "same":
        return text, "identical description"
    if kind == "truncate":
        return truncate(text, rng.randint(60, 90)), "description truncated"
    if kind == "truncate_short":
        return truncate(text, rng.randint(40, 55)), "description truncated short"
    if kind == "boiler":
        return add_boiler(text), "board boilerplate appended"
    if kind == "drop_benefits":
        return drop_benefits(text, company), "benefits section dropped"
    if kind == "small_edits":
        return small_edits(text), "small wording edits"
    if kind == "bulletise":
        return bulletise(text), "reformatted as bullets"
    if kind == "prefix":
        return prefix_title(text, title, COMPANIES[company]["names"][0]), "board prefixes title and company"
    if kind == "boiler+edits":
        return add_boiler(small_edits(drop_benefits(text, company))), "edits, benefits dropped, boilerplate"
    raise ValueError(kind)


# --- roles ------------------------------------------------------------------------------------
# Each role: company, title (canonical), kind, level, team, location.

def role(company, title, kind, level, team=None, loc=None, variants=()):
    c = COMPANIES[company]
    r = dict(company=company, title=title, kind=kind, level=level, team=team,
             loc=loc or ("onsite", c["city"], c["country"]), variants=list(variants))
    return r


R = {}
R["acme_sr_py"] = role("acme", "Senior Python Engineer", "backend", "senior", "payments", ("remote", "DE"),
                       ["Sr. Python Engineer (Remote)", "Senior Python Engineer - Remote, Germany", "Senior Python Engineer (m/w/d)"])
R["acme_py_pay"] = role("acme", "Python Engineer, Payments", "backend", "mid", "payments", ("hybrid", "Berlin", "DE"),
                        ["Python Engineer - Payments (m/w/d)", "Python Engineer, Payments | Berlin"])
R["acme_py_search"] = role("acme", "Python Engineer, Search", "backend", "mid", "search", ("hybrid", "Berlin", "DE"),
                           ["Python Engineer – Search", "Python Engineer, Search (Berlin)"])
R["acme_fe"] = role("acme", "Frontend Engineer", "frontend", "mid", "core", ("hybrid", "Berlin", "DE"),
                    ["Front-End Engineer (m/w/d)", "Frontend Engineer | Berlin"])
R["acme_be"] = role("acme", "Backend Engineer", "backend", "mid", "core", ("hybrid", "Berlin", "DE"),
                    ["Back-end Engineer (m/w/d)", "Backend Engineer - Berlin"])
R["acme_jr_py"] = role("acme", "Junior Python Developer", "backend", "junior", "billing", ("hybrid", "Berlin", "DE"),
                       ["Jr. Python Developer (m/w/d)", "Junior Python Dev - Berlin"])
R["globex_sr_be"] = role("globex", "Senior Backend Engineer (Python)", "backend", "senior", "platform", ("remote", "GB"),
                         ["Sr Backend Engineer (Python) - Remote, UK", "Senior Back End Engineer (Python)"])
R["globex_staff"] = role("globex", "Staff Software Engineer, Platform", "backend", "staff", "platform", ("remote", "GB"),
                         ["Staff Software Engineer - Platform (Remote)", "Staff SWE, Platform"])
R["globex_data"] = role("globex", "Data Engineer", "data", "mid", "ingestion", ("hybrid", "London", "GB"),
                        ["Data Engineer | London", "Data Engineer (Hybrid, London)"])
R["globex_em"] = role("globex", "Engineering Manager, Backend", "manager", "manager", "core", ("hybrid", "London", "GB"),
                      ["Engineering Manager - Backend (London)", "Engineering Mgr, Backend"])
R["initech_swe2"] = role("initech", "Software Engineer II", "backend", "mid", "billing", ("remote", "US"),
                         ["Software Engineer II - Remote, US", "SWE II (Remote)", "Software Engineer 2"])
R["initech_swe3"] = role("initech", "Software Engineer III", "backend", "senior", "billing", ("remote", "US"),
                         ["Software Engineer III - Remote, US", "SWE III (Remote - USA)"])
R["initech_sr_py"] = role("initech", "Senior Python Developer", "backend", "senior", "integrations", ("remote", "US"),
                          ["Sr. Python Developer - 100% Remote", "Senior Python Developer (US Remote)"])
R["umbrella_be"] = role("umbrella", "Senior Backend Developer", "backend", "senior", "integrations", ("hybrid", "Munich", "DE"),
                        ["Senior Backend Developer (m/w/d)", "Senior Backend Developer (w/m/d) – München", "Sr. Backend Dev (m/w/d)"])
R["umbrella_ml"] = role("umbrella", "Machine Learning Engineer", "ml", "mid", None, ("hybrid", "Munich", "DE"),
                        ["Machine Learning Engineer (m/w/d)", "ML Engineer (Machine Learning Engineer) - Munich"])
R["umbrella_devops"] = role("umbrella", "DevOps Engineer", "devops", "mid", "platform", ("hybrid", "Munich", "DE"),
                            ["DevOps Engineer (m/w/d)", "DevOps Engineer | München"])
R["hooli_search"] = role("hooli", "Senior Python Engineer, Search", "backend", "senior", "search", ("hybrid", "Dublin", "IE"),
                         ["Sr. Python Engineer - Search (Dublin)", "Senior Python Engineer, Search - Hybrid"])
R["hooli_ml"] = role("hooli", "Senior Machine Learning Engineer, Ranking", "ml", "senior", "search", ("hybrid", "Dublin", "IE"),
                     ["Sr. Machine Learning Engineer, Ranking", "Senior Machine Learning Engineer - Ranking (Dublin, Ireland)"])
R["hooli_catalog"] = role("hooli", "Python Engineer, Catalog", "backend", "mid", "catalog", ("hybrid", "Dublin", "IE"),
                          ["Python Engineer - Catalog", "Python Engineer, Catalog (Hybrid)"])
R["vandelay_fs"] = role("vandelay", "Full Stack Engineer", "backend", "mid", "core", ("hybrid", "New York", "US"),
                        ["Full-Stack Engineer (NYC)", "Fullstack Engineer - New York, NY"])
R["vandelay_sr_be"] = role("vandelay", "Senior Backend Engineer", "backend", "senior", "payments", ("hybrid", "New York", "US"),
                           ["Sr. Backend Engineer - New York", "Senior Back-End Engineer (Hybrid)"])
R["soylent_ds"] = role("soylent", "Data Scientist, Forecasting", "ml", "mid", "forecasting", ("hybrid", "Amsterdam", "NL"),
                       ["Data Scientist - Forecasting (Amsterdam)", "Data Scientist, Forecasting | Hybrid"])
R["soylent_de"] = role("soylent", "Data Engineer, Forecasting", "data", "mid", "forecasting", ("hybrid", "Amsterdam", "NL"),
                       ["Data Engineer - Forecasting (Amsterdam)", "Data Engineer, Forecasting | Hybrid"])
R["soylent_py"] = role("soylent", "Python Developer", "backend", "mid", "integrations", ("remote", "NL"),
                       ["Python Developer (Remote, Netherlands)", "Python Developer - Remote"])
R["wonka_be"] = role("wonka", "Développeur Backend Python", "backend", "mid", "catalog", ("hybrid", "Paris", "FR"),
                     ["Developpeur Backend Python (H/F)", "Développeur Backend Python - Paris"])
R["wonka_sr"] = role("wonka", "Senior Backend Engineer", "backend", "senior", "catalog", ("remote", "FR"),
                     ["Senior Backend Engineer (Remote, France)", "Sr Backend Engineer (F/H)"])
R["stark_quant"] = role("stark", "Senior Python Developer, Risk", "backend", "senior", "risk", ("onsite", "Zurich", "CH"),
                        ["Senior Python Developer - Risk (Zürich)", "Sr. Python Developer, Risk | Zurich"])
R["stark_data"] = role("stark", "Data Engineer", "data", "senior", "ingestion", ("onsite", "Zurich", "CH"),
                       ["Data Engineer (Zürich)", "Data Engineer - Zurich, Switzerland"])
R["tyrell_py"] = role("tyrell", "Backend Developer (Python)", "backend", "mid", "identity", ("remote", "CA"),
                      ["Backend Developer (Python) - Remote, Canada", "Back-end Developer (Python)"])
R["tyrell_sec"] = role("tyrell", "Senior Security Engineer", "devops", "senior", "identity", ("remote", "CA"),
                       ["Sr. Security Engineer (Remote)", "Senior Security Engineer - Canada"])
R["cyberdyne_py"] = role("cyberdyne", "Python Software Engineer", "backend", "mid", "ingestion", ("hybrid", "Manchester", "GB"),
                         ["Python Software Engineer - Manchester", "Python Software Engineer (Hybrid)"])
R["cyberdyne_lead"] = role("cyberdyne", "Lead Python Engineer", "backend", "lead", "ingestion", ("hybrid", "Manchester", "GB"),
                           ["Lead Python Engineer - Manchester", "Lead Python Engineer (Hybrid, UK)"])
R["gringotts_be"] = role("gringotts", "Senior Software Engineer, Payments", "backend", "senior", "payments", ("hybrid", "London", "GB"),
                         ["Senior Software Engineer - Payments", "Sr. Software Engineer, Payments (London)"])
R["gringotts_risk"] = role("gringotts", "Senior Software Engineer, Risk", "backend", "senior", "risk", ("hybrid", "London", "GB"),
                           ["Senior Software Engineer - Risk", "Sr. Software Engineer, Risk (London)"])
R["monarch_py"] = role("monarch", "Python Backend Engineer", "backend", "mid", "platform", ("hybrid", "Hamburg", "DE"),
                       ["Python Backend Engineer (m/w/d)", "Python Backend Engineer (all genders) - Hamburg"])
R["oceanic_py"] = role("oceanic", "Senior Python Developer", "backend", "senior", "catalog", ("remote", "ES"),
                       ["Senior Python Developer (Remote, Spain)", "Sr. Python Developer | Remote"])
R["pied_sre"] = role("pied", "Site Reliability Engineer", "devops", "senior", "platform", ("onsite", "San Francisco", "US"),
                     ["Site Reliability Engineer - San Francisco, CA", "Site Reliability Engineer (SF Bay Area)"])
R["pied_be"] = role("pied", "Senior Backend Engineer", "backend", "senior", "core", ("onsite", "San Francisco", "US"),
                    ["Sr. Backend Engineer - San Francisco", "Senior Backend Engineer (Onsite)"])
R["nakatomi_py"] = role("nakatomi", "Python Developer, Trading Systems", "backend", "senior", None, ("onsite", "Vienna", "AT"),
                        ["Python Developer - Trading Systems (Wien)", "Python Developer, Trading Systems (m/w/d)"])
R["duff_data"] = role("duff", "Senior Data Engineer", "data", "senior", "ingestion", ("remote", "FI"),
                      ["Senior Data Engineer (Remote, Finland)", "Sr Data Engineer - Remote (EU timezones)"])
R["sirius_ml"] = role("sirius", "Machine Learning Engineer", "ml", "mid", None, ("hybrid", "Stockholm", "SE"),
                      ["Machine Learning Engineer - Stockholm", "ML Engineer (Hybrid, Stockholm)"])
R["sirius_py"] = role("sirius", "Backend Engineer, Python", "backend", "mid", "integrations", ("hybrid", "Stockholm", "SE"),
                      ["Backend Engineer - Python (Stockholm)", "Backend Engineer, Python | Hybrid"])
R["rekall_py"] = role("rekall", "Senior Software Engineer, Search", "backend", "senior", "search", ("remote", "US"),
                      ["Senior Software Engineer - Search (Remote US)", "Sr. Software Engineer, Search"])
R["bluth_py"] = role("bluth", "Python Engineer", "backend", "mid", "core", ("hybrid", "Los Angeles", "US"),
                     ["Python Engineer - Los Angeles, CA", "Python Engineer (Hybrid)"])
R["prestige_py"] = role("prestige", "Backend Developer", "backend", "mid", "core", ("remote", "PT"),
                        ["Backend Developer (Remote - Portugal)", "Back-End Developer | Remote"])
R["dunder_py"] = role("dunder", "Senior Python Developer", "backend", "senior", "catalog", ("remote", "PL"),
                      ["Senior Python Developer (Remote, Poland)", "Sr. Python Dev - Remote"])
R["zorg_py"] = role("zorg", "Python Developer", "backend", "mid", "notifications", ("hybrid", "Vienna", "AT"),
                    ["Python Developer (m/w/d)", "Python Developer - Wien"])
R["ollivander_ml"] = role("ollivander", "Senior Machine Learning Engineer", "ml", "senior", "catalog", ("hybrid", "Edinburgh", "GB"),
                          ["Senior Machine Learning Engineer - Edinburgh", "Sr. ML Engineer (Machine Learning)"])
R["acme_robotics_py"] = role("acme_robotics", "Senior Python Engineer", "backend", "senior", "platform", ("hybrid", "Bristol", "GB"),
                             ["Senior Python Engineer - Bristol", "Sr. Python Engineer (Hybrid)"])

for i, r in enumerate(R.values()):
    r["seed"] = 1000 + i
    r["desc"] = describe(r["company"], r, body_seed=r["seed"])

PAIRS = []


def add(a, b, same, note):
    PAIRS.append({"a": a, "b": b, "same": same, "note": note})


# --- positives: every role posted on two boards ------------------------------------------------
for r in R.values():
    names = COMPANIES[r["company"]]["names"]
    for variant in r["variants"]:
        sa, sb = two_sources()
        kind = rng.choice(EDITS)
        desc_b, how = edit(r["desc"], kind, r["company"], variant)
        a = listing(sa, r["title"], names[0], r["loc"], r["desc"])
        b = listing(sb, variant, rng.choice(names), r["loc"], desc_b)
        if rng.random() < 0.15:  # some boards state no country, only "Remote" or nothing
            b["locations"] = []
            b["remote"] = r["loc"][0] if r["loc"][0] == "remote" else None
        add(a, b, True, f"same job, reformatted title '{variant}'; {how}")

# Harder positives.
r = R["acme_sr_py"]
add(listing("greenhouse", "Senior Python Engineer", "Acme", r["loc"], r["desc"]),
    listing("remotive", "Senior Python Engineer, Payments", "ACME Inc.", r["loc"], add_boiler(r["desc"])),
    True, "same job, one board appends the team to the title; description shared")
r = R["soylent_py"]
add(listing("lever", "Python Developer", "Soylent Labs", r["loc"], r["desc"]),
    listing("remoteok", "Python Engineer", "SoylentLabs", r["loc"], small_edits(r["desc"])),
    True, "same job, developer vs engineer on another board; description shared")
r = R["bluth_py"]
add(listing("ashby", "Python Engineer", "Bluth Company", r["loc"], r["desc"]),
    listing("hn", "Python Engineer", "The Bluth Company", ("hybrid", "Los Angeles", "US"), None),
    True, "same job, one side without description (headline-only board)")
r = R["zorg_py"]
add(listing("arbeitnow", "Python Developer (m/w/d)", "Zorg GmbH", r["loc"], r["desc"]),
    listing("jsonld", "Python Developer", "Zorg", ("hybrid", "Wien", "AT"), truncate(r["desc"], 70)),
    True, "same job, city spelled in German on one board; description truncated")
r = R["tyrell_py"]
add(listing("himalayas", "Backend Developer (Python)", "Tyrell", r["loc"], r["desc"]),
    listing("weworkremotely", "Tyrell: Backend Developer (Python)", "Tyrell Corp", ("remote", None), add_boiler(r["desc"])),
    True, "same job, board prefixes the company to the title, no country")
r = R["initech_sr_py"]
add(listing("remotive", "Senior Python Developer", "Initech", r["loc"], r["desc"]),
    listing("jobicy", "Senior Python / Django Developer", "Initech, LLC", r["loc"], drop_benefits(r["desc"], "initech")),
    True, "same job, stack added to the title on one board")
r = R["hooli_catalog"]
add(listing("greenhouse", "Python Engineer, Catalog", "Hooli", r["loc"], r["desc"]),
    listing("pythonorg", "Python Engineer (Catalog team)", "Hooli Ltd", ("hybrid", "Dublin", "IE"), small_edits(add_boiler(r["desc"]))),
    True, "same job, 'team' added; edits and boilerplate")
r = R["duff_data"]
add(listing("remoteok", "Senior Data Engineer", "Duff Data", r["loc"], r["desc"]),
    listing("himalayas", "Senior Data Engineer", "Duff Data Oy", ("remote", None), bulletise(drop_benefits(r["desc"], "duff"))),
    True, "same job, no country on one board; bullets, benefits dropped")
r = R["cyberdyne_py"]
add(listing("lever", "Python Software Engineer", "Cyberdyne Systems", r["loc"], r["desc"]),
    listing("jsonld", "Software Engineer (Python)", "Cyberdyne Systems Ltd.", r["loc"], add_boiler(r["desc"])),
    True, "same job, title words reordered on another board")
r = R["wonka_be"]
add(listing("jsonld", "Développeur Backend Python", "Wonka", r["loc"], r["desc"]),
    listing("weworkremotely", "Backend Python Developer", "Wonka SAS", r["loc"], small_edits(r["desc"])),
    True, "same job, French title on the company site, English on a board")


# Hard positives that a decision may well miss: they keep the measured recall honest.
HN_TEXT = {
    "acme_sr_py": "Acme | Senior Python Engineer | Remote (Germany) | 85-105k EUR. We make invoicing boring for 40k small businesses. Small team, big impact: FastAPI, Postgres, a monolith we are slowly taming. Email jobs@acme.example with a few lines about something you built.",
    "initech_sr_py": "Initech | Senior Python Developer | REMOTE (US only) | $150k-$180k + equity. Payroll for mid-sized companies. We need someone who enjoys integrations with crusty ERP systems. No recruiters please. Apply: initech.example/careers",
    "rekall_py": "Rekall (Seattle or remote US) is hiring a Senior Software Engineer for search. Python, Elasticsearch, lots of relevance work. Reach out to the founders directly: founders@rekall.example",
}
for key, text in HN_TEXT.items():
    r = R[key]
    names = COMPANIES[r["company"]]["names"]
    add(listing("greenhouse", r["title"], names[0], r["loc"], r["desc"]),
        listing("hn", r["title"], names[0], r["loc"], text),
        True, "same job, hand-written forum post with its own text (description shares almost nothing)")
r = R["monarch_py"]
add(listing("arbeitnow", "Python Backend Engineer (m/w/d)", "Monarch Energy GmbH", r["loc"], r["desc"]),
    listing("remotive", "Backend Engineer - Python", "Monarch Energy", ("remote", "DE"), add_boiler(r["desc"])),
    True, "same job, hybrid on the company site, listed as remote by a remote board")
r = R["gringotts_be"]
add(listing("lever", "Senior Software Engineer, Payments", "Gringotts", r["loc"], r["desc"]),
    listing("jsonld", "Senior Software Engineer (Python, Django) - Payments", "Gringotts Bank", r["loc"], r["desc"]),
    True, "same job, stack added to the title and company legal name differs")
r = R["oceanic_py"]
add(listing("himalayas", "Senior Python Developer", "Oceanic Travel", r["loc"], r["desc"]),
    listing("jobicy", "Senior Pyhton Developer", "Oceanic Travel S.L.", r["loc"], truncate(r["desc"], 30)),
    True, "same job, typo in the title, description cut after 30 words")
r = R["hooli_search"]
add(listing("greenhouse", "Senior Python Engineer, Search", "Hooli", r["loc"], r["desc"]),
    listing("remoteok", "Senior Software Engineer (Python) - Search", "Hooli", r["loc"], add_boiler(r["desc"])),
    True, "same job, title rephrased by another board; description shared")
r = R["vandelay_sr_be"]
add(listing("ashby", "Senior Backend Engineer", "Vandelay Industries", r["loc"], r["desc"]),
    listing("weworkremotely", "Senior Backend Engineer", "Vandelay", ("remote", "US"), r["desc"]),
    True, "same job, hybrid on the company site, posted as remote on a remote board")
r = R["stark_quant"]
add(listing("jsonld", "Senior Python Developer, Risk", "Stark Analytics AG", r["loc"], r["desc"]),
    listing("pythonorg", "Senior Python Developer, Risk", "Stark Analytics", ("onsite", "Zürich", "CH"), None),
    True, "same job, one board without description, city with umlaut")
r = R["duff_data"]
add(listing("remoteok", "Senior Data Engineer", "Duff Data", r["loc"], r["desc"]),
    listing("lever", "Senior Data Platform Engineer", "Duff Data", r["loc"], r["desc"]),
    True, "same job, the company site calls it Data Platform Engineer; description identical")

# --- negatives ---------------------------------------------------------------------------------

def variant_of(r, other_title, *, kind=None, level=None, team="__same__", loc=None, reqs=None, reuse_body=False):
    """A different opening derived from role r: another title, maybe the same description template."""
    nr = dict(r)
    nr["title"] = other_title
    if kind:
        nr["kind"] = kind
    if level:
        nr["level"] = level
    if team != "__same__":
        nr["team"] = team
    if loc:
        nr["loc"] = loc
    seed = r["seed"] if reuse_body else r["seed"] + 500
    nr["desc"] = describe(r["company"], nr, body_seed=seed, reqs=reqs)
    return nr


def neg(r1, r2, note, *, title1=None, title2=None, src=None):
    names1 = COMPANIES[r1["company"]]["names"]
    names2 = COMPANIES[r2["company"]]["names"]
    sa, sb = src or two_sources()
    add(listing(sa, title1 or r1["title"], rng.choice(names1), r1["loc"], r1["desc"], r1.get("type", "full_time")),
        listing(sb, title2 or r2["title"], rng.choice(names2), r2["loc"], r2["desc"], r2.get("type", "full_time")),
        False, note)


# Same company, different seniority, often from one description template.
seniority_pairs = [
    ("acme_sr_py", "Python Engineer", "mid"), ("acme_sr_py", "Junior Python Engineer", "junior"),
    ("acme_sr_py", "Staff Python Engineer", "staff"), ("acme_jr_py", "Senior Python Developer", "senior"),
    ("acme_jr_py", "Python Developer", "mid"),
    ("globex_sr_be", "Backend Engineer (Python)", "mid"), ("globex_sr_be", "Junior Backend Engineer (Python)", "junior"),
    ("globex_sr_be", "Lead Backend Engineer (Python)", "lead"),
    ("initech_sr_py", "Python Developer", "mid"), ("initech_sr_py", "Junior Python Developer", "junior"),
    ("umbrella_be", "Junior Backend Developer", "junior"), ("umbrella_be", "Backend Developer", "mid"),
    ("hooli_search", "Python Engineer, Search", "mid"), ("hooli_search", "Staff Python Engineer, Search", "staff"),
    ("vandelay_sr_be", "Backend Engineer", "mid"), ("vandelay_sr_be", "Junior Backend Engineer", "junior"),
    ("oceanic_py", "Python Developer", "mid"), ("oceanic_py", "Junior Python Developer", "junior"),
    ("dunder_py", "Python Developer", "mid"), ("dunder_py", "Lead Python Developer", "lead"),
    ("cyberdyne_lead", "Senior Python Engineer", "senior"), ("cyberdyne_py", "Senior Python Software Engineer", "senior"),
    ("pied_be", "Staff Backend Engineer", "staff"), ("rekall_py", "Software Engineer, Search", "mid"),
    ("ollivander_ml", "Machine Learning Engineer", "mid"), ("duff_data", "Data Engineer", "mid"),
    ("wonka_sr", "Backend Engineer", "mid"), ("gringotts_be", "Staff Software Engineer, Payments", "staff"),
    ("sirius_py", "Senior Backend Engineer, Python", "senior"), ("zorg_py", "Senior Python Developer", "senior"),
]
for i, (key, title, level) in enumerate(seniority_pairs):
    r = R[key]
    reuse = i % 2 == 0  # half of them reuse the description template with other requirements
    other = variant_of(r, title, level=level, reqs=level if level in REQS else "mid", reuse_body=reuse)
    neg(r, other, f"same company, different seniority ({r['title']} vs {title})"
        + ("; same description template" if reuse else ""))

# Same company, backend vs frontend (and other specialisms).
spec_pairs = [
    ("acme_be", "acme_fe", None), ("vandelay_fs", None, ("Frontend Engineer", "frontend")),
    ("globex_sr_be", None, ("Senior Frontend Engineer", "frontend")), ("pied_be", None, ("Senior Frontend Engineer", "frontend")),
    ("umbrella_be", None, ("Senior Frontend Developer", "frontend")), ("wonka_sr", None, ("Senior Frontend Engineer", "frontend")),
    ("sirius_py", None, ("Frontend Engineer, React", "frontend")), ("prestige_py", None, ("Frontend Developer", "frontend")),
    ("umbrella_devops", "umbrella_be", None), ("globex_data", None, ("Backend Engineer", "backend")),
    ("soylent_ds", "soylent_de", None), ("umbrella_ml", None, ("Data Engineer", "data")),
    ("hooli_ml", "hooli_search", None), ("pied_sre", "pied_be", None),
    ("tyrell_sec", "tyrell_py", None), ("initech_swe2", None, ("Frontend Software Engineer II", "frontend")),
    ("rekall_py", None, ("Senior Frontend Engineer, Search", "frontend")), ("stark_data", "stark_quant", None),
    ("globex_em", None, ("Senior Backend Engineer", "backend")), ("acme_be", None, ("Engineering Manager, Backend", "manager")),
    ("sirius_ml", None, ("Data Scientist", "ml")), ("duff_data", None, ("Senior Data Scientist", "ml")),
]
for key1, key2, made in spec_pairs:
    r1 = R[key1]
    if key2:
        r2 = R[key2]
    else:
        title, kind = made
        level = "manager" if kind == "manager" else r1["level"]
        r2 = variant_of(r1, title, kind=kind, level=level)
    neg(r1, r2, f"same company, different specialism ({r1['title']} vs {r2['title']})")

# Same company, same base title, different team.
team_pairs = [
    ("acme_py_pay", "acme_py_search", None), ("gringotts_be", "gringotts_risk", None),
    ("hooli_search", None, ("Senior Python Engineer, Catalog", "catalog")),
    ("acme_py_pay", None, ("Python Engineer, Billing", "billing")),
    ("globex_staff", None, ("Staff Software Engineer, Ingestion", "ingestion")),
    ("rekall_py", None, ("Senior Software Engineer, Integrations", "integrations")),
    ("stark_quant", None, ("Senior Python Developer, Billing", "billing")),
    ("hooli_catalog", None, ("Python Engineer, Notifications", "notifications")),
    ("initech_sr_py", None, ("Senior Python Developer, Billing", "billing")),
    ("sirius_py", None, ("Backend Engineer, Notifications", "notifications")),
    ("gringotts_risk", None, ("Senior Software Engineer, Identity", "identity")),
    ("acme_sr_py", None, ("Senior Python Engineer, Growth", "growth")),
    ("cyberdyne_py", None, ("Python Software Engineer, Platform", "platform")),
    ("vandelay_sr_be", None, ("Senior Backend Engineer, Catalog", "catalog")),
    ("monarch_py", None, ("Python Backend Engineer, Billing", "billing")),
]
for key1, key2, made in team_pairs:
    r1 = R[key1]
    r2 = R[key2] if key2 else variant_of(r1, made[0], team=made[1])
    neg(r1, r2, f"same company, different team ({r1['title']} vs {r2['title']})")

# Same title (or nearly) at different companies, generic descriptions.
cross = [("acme_sr_py", "acme_robotics_py"), ("initech_sr_py", "oceanic_py"), ("oceanic_py", "dunder_py"),
         ("soylent_py", "zorg_py"), ("vandelay_sr_be", "pied_be"), ("wonka_sr", "pied_be"),
         ("globex_data", "stark_data"), ("umbrella_ml", "sirius_ml"), ("prestige_py", "tyrell_py"),
         ("bluth_py", "soylent_py"), ("gringotts_be", "rekall_py"), ("dunder_py", "initech_sr_py"),
         ("hooli_ml", "ollivander_ml"), ("vandelay_sr_be", "wonka_sr"), ("monarch_py", "cyberdyne_py")]
for key1, key2 in cross:
    r1, r2 = R[key1], R[key2]
    # The second company's ad reuses the first's role text: generic ads look alike across companies.
    r2 = dict(r2)
    r2["desc"] = describe(r2["company"], dict(r2, kind=r1["kind"], level=r1["level"], team=r1["team"]), body_seed=r1["seed"])
    neg(r1, r2, f"different companies ({r1['company']} / {r2['company']}), similar title and role text",
        title2=r1["title"])

# Same company and title, different countries or cities for onsite roles (one ad, several offices).
offices = [
    ("pied_be", ("onsite", "New York", "US"), "different cities, onsite"),
    ("pied_sre", ("onsite", "Austin", "US"), "different cities, onsite"),
    ("stark_quant", ("onsite", "Geneva", "CH"), "different cities, onsite"),
    ("nakatomi_py", ("onsite", "Frankfurt", "DE"), "different countries, onsite"),
    ("stark_data", ("onsite", "London", "GB"), "different countries, onsite"),
    ("acme_py_pay", ("hybrid", "Lisbon", "PT"), "different countries, hybrid"),
    ("globex_data", ("hybrid", "Warsaw", "PL"), "different countries, hybrid"),
    ("hooli_search", ("hybrid", "Zurich", "CH"), "different countries, hybrid"),
    ("cyberdyne_py", ("hybrid", "Berlin", "DE"), "different countries, hybrid"),
    ("vandelay_fs", ("hybrid", "Toronto", "CA"), "different countries, hybrid"),
    ("monarch_py", ("hybrid", "Munich", "DE"), "different cities, hybrid"),
    ("gringotts_be", ("hybrid", "Manchester", "GB"), "different cities, hybrid"),
    ("bluth_py", ("onsite", "Seattle", "US"), "different cities, onsite"),
    ("sirius_ml", ("hybrid", "Oslo", "NO"), "different countries, hybrid"),
    ("initech_swe2", ("remote", "CA"), "remote in different countries"),
    ("oceanic_py", ("remote", "MX"), "remote in different countries"),
    ]
for key, loc, note in offices:
    r = R[key]
    other = dict(r, loc=loc)
    # The same ad, posted once per office: descriptions identical apart from the location line.
    neg(r, other, f"same company and title, {note} ({r['loc'][1]} vs {loc[1]})")
r = R["pied_be"]
neg(r, dict(r, loc=("remote", "US")), "same company and title, onsite office role vs a separate remote opening",
    src=("greenhouse", "remoteok"))
r = R["nakatomi_py"]
neg(r, dict(r, loc=("remote", "DE")), "same company and title, onsite in Vienna vs remote in Germany")

# Levels II vs III, similar titles.
neg(R["initech_swe2"], R["initech_swe3"], "same company, Software Engineer II vs III")
r = R["initech_swe2"]
neg(r, variant_of(r, "Software Engineer I", level="junior", reuse_body=True), "same company, Software Engineer II vs I, same template")
r = R["initech_swe3"]
neg(r, variant_of(r, "Software Engineer IV", level="staff", reuse_body=True), "same company, Software Engineer III vs IV, same template")

# Similar company names, same title.
r1 = R["acme_sr_py"]
r2 = dict(R["acme_robotics_py"], loc=("remote", "GB"))
neg(r1, r2, "Acme vs Acme Robotics, same title, both remote", title2="Senior Python Engineer (Remote)")


# Same company and exact same title for two teams, the team named only in the description.
for key, team in [("acme_sr_py", "growth"), ("globex_sr_be", "identity"), ("rekall_py", "integrations")]:
    r = R[key]
    neg(r, variant_of(r, r["title"], team=team), f"same company and title, different team named only in the description ({r['team']} vs {team})")
# Contract vs permanent, intern vs engineer.
r = R["acme_sr_py"]
neg(r, dict(variant_of(r, "Senior Python Engineer (Contract)", reuse_body=True), type="contract"),
    "same company, permanent vs contract opening with the same template", src=("greenhouse", "lever"))
r = R["cyberdyne_py"]
neg(r, dict(variant_of(r, "Python Software Engineering Intern", level="junior", reuse_body=True), type="internship"),
    "same company, engineer vs intern with the same template")
r = R["bluth_py"]
neg(r, dict(variant_of(r, "Python Engineer (Contract, 6 months)", reuse_body=False), type="contract"),
    "same company, permanent vs six-month contract")

# Easy negatives: unrelated roles.
keys = list(R)
for _ in range(20):
    k1, k2 = rng.sample(keys, 2)
    if R[k1]["company"] == R[k2]["company"]:
        continue
    neg(R[k1], R[k2], "unrelated roles at different companies")

if __name__ == "__main__":
    with (Path(__file__).with_name("pairs.jsonl")).open("w", encoding="utf-8") as out:
        for p in PAIRS:
            out.write(json.dumps(p, ensure_ascii=False) + "\n")
    pos = sum(p["same"] for p in PAIRS)
    print(len(PAIRS), "pairs", pos, "positives", len(PAIRS) - pos, "negatives")
