"""Deterministic, realistic groups and conversations for the demo and the benchmarks: `seed_groups(...)`.

Runs after the people seed and works on the seeded members (addresses at the seed domain):

- **Groups**: a catalogue of interest groups (Running Club, Book Club, Python Guild, …), team groups
  tied to departments and cross-functional projects, some request-to-join, some private, one archived;
  larger organizations add city chapters, more interests, one group per team and more projects.
  Tags come from the people interest vocabulary, so "suggested groups" finds them.
- **Memberships**: a few big groups and many small ones (sizes fall with popularity rank); most of an
  interest group's members have one of its interests (or skills), a team group's come from its
  department. Organizers and moderators; pending requests and invitations where that fits.
- **Discussions**: threads and replies from templates per topic (titles, Markdown bodies, replies,
  answers), spread over the last ~6 months before ``today``. Activity is skewed twice: a few very
  active groups and many quiet ones, a few prolific posters and many lurkers. Questions with accepted
  answers, pinned welcome threads, locked threads, edits with their revisions, a few soft deletes,
  reactions of the default kinds, @mentions of real seeded people.
- **Counters** (member_count, thread_count, reply_count, last_activity_at) equal what services would
  have kept, and the **activity facts** (Participation, Interaction) are written as the services would,
  so insights and the home feed have history.

Determinism: everything is drawn from ``rng`` in a fixed order, and people are addressed by their
position in primary-key order (not by key), so the same people seed and the same ``rng`` give the
same groups and conversations; only dates move with ``today``.

Speed and memory: rows are written with ``bulk_create`` in batches; a group's content is generated
and buffered thread by thread and flushed every ``batch_size`` replies, so memory stays bounded by the
batch (plus one small tuple per member). Markdown is rendered with ``render_body`` paragraph by
paragraph (templates repeat, so most paragraphs come from a cache); for blocks separated by blank lines
that is exactly what rendering the whole text gives.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import math
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.models import Interaction, Participation
from courtyard.core.seeding import SeedContext, SeedReport
from courtyard.groups.domain.rules import default_read_access, is_listed, slug_candidate
from courtyard.groups.models import Group, Membership, Post, Reaction, ReactionKind, Revision, Thread
from courtyard.groups.services import reaction_kinds_ensure_defaults, render_body
from courtyard.people.models import Profile, Tag, Team
from courtyard.people.seed import COMPANY, SEED_EMAIL_DOMAIN, seeded_profiles
from courtyard.people.services import PATH_SEPARATOR
from courtyard.search.models import SearchDocument

Progress = Callable[[int], Any]

BATCH_SIZE = 20_000
WINDOW_DAYS = 182
# The demo (~300 members) gets ~25 groups and ~2,000 replies; the large set (100,000) 2,000 groups and
# 1,000,000 replies. In between (and for tests) both grow as powers of the member count through those points.
DEMO_MEMBERS, DEMO_GROUPS, DEMO_POSTS = 300, 25, 2_000
LARGE_MEMBERS, LARGE_GROUPS, LARGE_POSTS = 100_000, 2_000, 1_000_000
MIN_GROUPS = 12
MEMBERSHIPS_PER_PERSON = 3.5
REPLIES_PER_THREAD = 7.0
LURKER_SHARE = 0.6


@dataclasses.dataclass(frozen=True)
class GroupsSeedResult:
    groups: int
    memberships: int
    threads: int
    posts: int
    reactions: int
    questions: int
    answered: int
    participations: int
    interactions: int
    private: int
    request: int
    archived: int
    busiest_group: str
    busiest_group_posts: int
    longest_thread_replies: int


def scaled(members: int, demo: int, large: int) -> int:
    exponent = math.log(large / demo) / math.log(LARGE_MEMBERS / DEMO_MEMBERS)
    return round(demo * (members / DEMO_MEMBERS) ** exponent)


def group_count(members: int) -> int:
    return max(MIN_GROUPS, scaled(members, DEMO_GROUPS, LARGE_GROUPS))


def post_count(members: int) -> int:
    return max(200, scaled(members, DEMO_POSTS, LARGE_POSTS))


# --- Texts ----------------------------------------------------------------------------------------

COMMON: dict[str, tuple[str, ...]] = {
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
    "time": ("12:30", "17:30", "18:00", "8:00", "13:00", "19:00"),
    "month": ("January", "February", "March", "April", "May", "June", "July", "September", "October", "November"),
    "city": ("Berlin", "London", "New York", "San Francisco", "Toronto", "São Paulo", "Bangalore", "Singapore",
             "Sydney", "Tokyo", "Lisbon"),
    "n": ("2", "3", "4", "5", "6", "8", "10", "12"),
    "room": ("the big kitchen", "Meeting Room 4", "the rooftop", "the library corner", "the lobby", "Zoom"),
    "thanks": ("Thanks for organizing this", "Thanks for writing this up", "Thanks for sharing", "Love this",
               "This is great"),
    "team": ("Checkout", "Search", "Onboarding", "Billing", "Reliability", "Support Tier 2", "Growth", "Data Platform",
             "Brand Studio", "Accounting", "Recruiting", "the EMEA sales team"),
    "company": (COMPANY,),
}

# Per topic: titles, questions (titles of question threads), openers (paragraphs of an opening post),
# replies and answers (paragraphs), vocabulary for their {placeholders}.
TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "running": {
        "titles": ("Sunday long run along the {route}", "{race}: who's in?", "Lunchtime 5k from the {city} office",
                   "Couch to 5k, week {n} check-in", "Post your {month} kilometres", "Group run on {weekday} at {time}"),
        "questions": ("Shoe recommendations for {surface} running?", "How do you fit training around on-call?",
                      "Any physio recommendations in {city}?", "Best app for interval training?"),
        "openers": ("We're meeting at {time} by the main entrance and doing an easy {distance} along the {route}. "
                    "All paces welcome, nobody gets left behind.",
                    "Signups for the **{race}** close at the end of {month}. {company} covers the entry fee if you "
                    "run in the company shirt.",
                    "I've been running for {n} months and my knees are starting to complain. What do you wear for "
                    "{surface} running?",
                    "Plan for the week:\n\n- {weekday}: easy {distance}\n- Saturday: long run\n- Sunday: rest, honestly",
                    "Showers on the second floor are open again, so lunch runs are back on."),
        "replies": ("Count me in! I'll be a bit slower than last time though.", "I did the {race} last year, "
                    "the second half is brutal but the crowd is amazing.", "Can we do {time} instead? I have a "
                    "standup until then.", "New PB this morning: {distance} without stopping 🎉",
                    "I'll bring a few spare gels for anyone who needs them.", "The {route} was flooded last week, "
                    "maybe start from the park instead?"),
        "answers": ("I've had good luck with a neutral shoe and a proper gait analysis at the running shop near "
                    "the {city} office.", "Slow down on the easy days. Seriously, 80% of your runs should feel "
                    "boring.", "Book the physio through the benefits portal, it's covered up to {n} sessions."),
        "route": ("river", "canal", "park loop", "harbour", "old railway line"),
        "race": ("city half marathon", "10k charity run", "corporate relay", "trail 15k", "Santa run"),
        "surface": ("trail", "road", "treadmill"),
        "distance": ("5k", "8k", "10k", "12k", "half marathon"),
    },
    "books": {
        "titles": ("{month} pick: {book}", "Discussion: chapters {n} to {n2} of {book}", "Next month's shortlist",
                   "Book swap shelf in {room}", "What are you reading outside the club?"),
        "questions": ("Non-fiction recommendations about {subject}?", "Do audiobooks count for the club?",
                      "Anyone read anything else by the author of {book}?"),
        "openers": ("This month we're reading **{book}**. We meet on the last {weekday} of the month in {room}. "
                    "No spoilers past chapter {n} in this thread please!",
                    "I finished {book} on the plane and I have *opinions*. Especially about the ending.",
                    "Shortlist for next month, vote with a reaction:\n\n1. {book}\n2. {book2}\n3. something about {subject}",
                    "Reminder: the swap shelf is in {room}. Take one, leave one."),
        "replies": ("I'm only halfway through but loving it so far.", "The middle section dragged a bit for me, "
                    "but the last {n} chapters made up for it.", "Voting for {book2}!", "Can we do a remote dial-in "
                    "for the {city} people?", "That twist in chapter {n} 😮", "Adding this to my list, thanks."),
        "answers": ("If you liked that, try {book2}. Same vibe, shorter.", "Audiobooks absolutely count, "
                    "half of us listen on the commute.", "For {subject}, the classic is a good start, but skip the "
                    "last part."),
        "book": ("The Left Hand of Darkness", "Project Hail Mary", "Thinking, Fast and Slow", "Klara and the Sun",
                 "The Midnight Library", "Educated", "Piranesi", "The Overstory", "A Gentleman in Moscow",
                 "Tomorrow, and Tomorrow, and Tomorrow", "Never Let Me Go", "The Remains of the Day",
                 "Station Eleven", "The Dispossessed", "Braiding Sweetgrass", "Sapiens"),
        "book2": ("Pachinko", "Circe", "The Ministry for the Future", "Sea of Tranquility", "Lessons in Chemistry",
                  "The Three-Body Problem", "Demon Copperhead"),
        "subject": ("habits", "cities", "economics", "design", "the history of computing", "climate", "negotiation"),
        "n2": ("7", "9", "11", "14", "16"),
    },
    "python": {
        "titles": ("Python {ver} upgrade notes", "Lightning talks: {month} edition", "Show and tell: {tool}",
                   "Proposal: shared lint config for all services", "Notes from PyCon talks worth watching"),
        "questions": ("Type hints in {lib}: worth it?", "How do you structure a {kind} project?",
                      "uv or pip-tools for {team}?", "Async or threads for {task}?", "Favourite pytest plugins?"),
        "openers": ("We upgraded {team} to Python {ver} last week. Notes:\n\n- `{lib}` needed a minor bump\n"
                    "- startup got noticeably faster\n- one flaky test turned out to be a real race",
                    "I'm writing a small {kind} for {task} and can't decide between threads and `asyncio`. "
                    "The code mostly waits on HTTP calls.",
                    "Looking for {n} speakers for the next lightning talks, five minutes each. Anything goes: "
                    "a library you like, a bug you hunted, a `{tool}` trick.",
                    "Here's the config we use:\n\n```toml\n[tool.ruff]\nline-length = 120\n```\n\nHappy to hear "
                    "why this is wrong."),
        "replies": ("We did the same in {team}, the biggest win was `{tool}` in CI.", "+1 to strict mypy on new "
                    "code only, the old code can catch up later.", "I can give a talk about {tool}!",
                    "Careful with `{lib}` on {ver}, there's an open issue about it.", "Nice write-up, bookmarking.",
                    "Have you measured it? I'd be curious about the numbers before and after."),
        "answers": ("For mostly-waiting code `asyncio` is fine, but a thread pool with {n} workers is simpler "
                    "and fast enough for {task}.", "We use `{tool}` with a lock file per service and it just works.",
                    "`pytest-randomly` and `pytest-xdist`, and `hypothesis` for anything with edge cases."),
        "ver": ("3.11", "3.12", "3.13"),
        "lib": ("Django", "FastAPI", "pandas", "the internal SDK", "SQLAlchemy", "pydantic"),
        "kind": ("CLI", "monorepo", "data pipeline", "small service"),
        "task": ("calling the billing API", "a queue consumer", "nightly exports", "scraping our dashboards"),
        "tool": ("ruff", "uv", "mypy", "hypothesis", "pre-commit", "py-spy"),
    },
    "parents": {
        "titles": ("School holidays in {month}: how do you cover them?", "Bring your kids to work day: ideas",
                   "Parental leave: tips from people who just came back", "Kids' coding club on {weekday}s"),
        "questions": ("Childcare near the {city} office?", "How do you handle sick days with two working parents?",
                      "Any good {age} books?"),
        "openers": ("Back from {n} months of parental leave this week. A few things that helped:\n\n- a gradual "
                    "return, three days a week at first\n- blocking {time} in my calendar for pickup\n- an honest "
                    "chat with my manager about on-call",
                    "Half-term is coming up and we're short on ideas. What do your kids ({age}) enjoy?",
                    "We're planning a bring-your-kids day in {city}. Ideas for activities welcome!"),
        "replies": ("Following, we have the same problem in {city}.", "The nursery near the office has a waiting list "
                    "of about {n} months, sign up early.", "Our {age} loved the robot workshop last year.",
                    "Thanks for sharing this, it helps to know others went through it.", "Flexible hours saved me. "
                    "Talk to your manager early."),
        "answers": ("We alternate: one of us takes mornings, the other afternoons, and we keep a shared calendar.",
                    "There's a list of nurseries near the {city} office in the People wiki, most take babies from "
                    "{n} months."),
        "age": ("toddlers", "five-year-olds", "teens", "primary-school kids"),
    },
    "boardgames": {
        "titles": ("Games night {weekday}: {game}", "New in the cupboard: {game}", "Campaign group for {game}?",
                   "Lunch-break games in {room}", "Photos from last games night"),
        "questions": ("Looking for someone who knows the {game} rules", "Good two-player games?",
                      "Which expansion for {game} is worth it?"),
        "openers": ("Games night is on **{weekday} at {time}** in {room}. We'll have {game} and {game2} out, "
                    "bring whatever you like.", "The office bought {game}! It's in the cupboard next to {room}.",
                    "We need {n} players for a {game} campaign, every other {weekday} after work."),
        "replies": ("I'm in! First time playing {game} though.", "I'll bring {game2}.", "Can we start at {time}? "
                    "I'm on a late call.", "That was so much fun, same time next month?",
                    "I still can't believe that last round 😂", "Count me in for the campaign."),
        "answers": ("I can teach it, it takes about 15 minutes to explain.", "For two players: {game2}, "
                    "Patchwork or Jaipur.", "The first expansion is the one everybody recommends."),
        "game": ("Wingspan", "Terraforming Mars", "Codenames", "Catan", "Azul", "Gloomhaven", "Ticket to Ride",
                 "Spirit Island", "7 Wonders", "Cascadia", "Everdell"),
        "game2": ("The Crew", "Dixit", "Carcassonne", "Splendor", "Just One", "Sushi Go"),
    },
    "outdoors": {
        "titles": ("{activity} on {weekday} after work", "Weekend trip to {place}?", "Beginners welcome: {activity}",
                   "Gear swap thread", "Trip report: {place}"),
        "questions": ("Belay or ride partners wanted", "Advice for a first trip to {place}?",
                      "Finger (or knee) injury: how long did you rest?"),
        "openers": ("A few of us go {activity_lc} every {weekday} at {time}. The gym/trailhead is {n} minutes "
                    "from the office. Beginners very welcome.", "Trip report from {place}: great weather, one "
                    "wrong turn, {n} hours total. Photos below.", "I have spare gear to give away: shoes (size 42), "
                    "a harness and a head torch."),
        "replies": ("I'd love to join, never tried it before.", "Count me in for {weekday}!", "Amazing photos!",
                    "Is there carpooling from the {city} office?", "Rest longer than you think you need, "
                    "learned that the hard way.", "I'll take the head torch if nobody else wants it."),
        "answers": ("Start easy, check the weather twice and tell someone your route.", "Six weeks of rest and "
                    "then slow. A physio helped a lot."),
        "activity": ("Bouldering", "Cycling", "Hiking", "Trail running", "Kayaking", "Climbing"),
        "activity_lc": ("bouldering", "cycling", "hiking", "climbing", "kayaking"),
        "place": ("the lakes", "the coast", "the national park", "the old quarry", "the mountains"),
    },
    "creative": {
        "titles": ("Theme of the month: {theme}", "Photo walk: {place2} on {weekday}", "Critique thread: {theme}",
                   "Show your work: {month}", "Workshop idea: {skill}"),
        "questions": ("Camera or phone for travel?", "Where do you print in {city}?",
                      "Beginner resources for {skill}?"),
        "openers": ("This month's theme is **{theme}**. Post one picture (or sketch, or piece) by the end of "
                    "{month}. Constructive feedback only, please.", "Photo walk around {place2} on {weekday} at "
                    "{time}. Any camera welcome, phones included.", "I'd like to run a {skill} workshop, "
                    "{n} people max. Who'd be interested?"),
        "replies": ("Love the light in this one.", "Here's mine, taken on the way to the office.", "I'd join the "
                    "workshop!", "The composition is great, maybe crop a bit on the left?", "Can someone share "
                    "the settings you used?", "So good 😍"),
        "answers": ("Phone for travel, honestly. The best camera is the one you have with you.", "There's a great "
                    "lab near the {city} office, a few days turnaround."),
        "theme": ("reflections", "street", "symmetry", "the office at night", "textures", "blue", "portraits"),
        "place2": ("the old town", "the harbour", "the market", "the botanical garden"),
        "skill": ("urban sketching", "film photography", "watercolour", "portrait lighting", "creative writing"),
    },
    "sustainability": {
        "titles": ("Office recycling in {city}: what goes where", "Meat-free {weekday} pilot results",
                   "Commuting challenge: {month}", "Carbon numbers from the last offsite", "Repair café on {weekday}"),
        "questions": ("Can we switch the {thing} supplier?", "Does anyone know how the offsite travel is offset?",
                      "Ideas for a greener team offsite?"),
        "openers": ("The pilot ran for {n} weeks. Results:\n\n- {pct}% fewer meat dishes ordered\n- no drop in "
                    "lunch attendance\n- lots of requests for the lentil curry", "Quick guide to the bins in "
                    "{city}: paper, packaging, glass, compost. Coffee cups go in **packaging**, lids too.",
                    "Let's count bike, walk and transit commutes in {month}. The team with the most wins a "
                    "plant for the office."),
        "replies": ("Great initiative, thanks!", "Our floor in {city} still has no compost bin, who do we ask?",
                    "I'll sign up {team} for the challenge.", "Could we get numbers per office?", "Happy to help "
                    "with the next repair café."),
        "answers": ("Workplace owns the {thing} contract, they said they're open to it if we bring options.",
                    "Travel is offset through the provider the travel team uses, there's a yearly report."),
        "thing": ("coffee", "cleaning", "catering", "electricity"),
        "pct": ("18", "25", "31", "40"),
    },
    "community": {
        "titles": ("Mentoring circle: {month} topic", "Speaker prep for {conf}", "Panel recap: {topic2}",
                   "Reading list: {topic2}", "Coffee chat for newcomers on {weekday}"),
        "questions": ("How did you negotiate your last promotion?", "Any tips for a first conference talk?",
                      "Who can review my talk proposal for {conf}?"),
        "openers": ("This month's circle is about **{topic2}**. We meet on {weekday} at {time}, in person in "
                    "{city} and on Zoom.", "Recap of the panel on {topic2}: {n} speakers, great questions, "
                    "and a recording in the shared drive.", "I'm submitting a talk to {conf} and would love "
                    "feedback on the abstract."),
        "replies": ("Thanks for organizing, this was really valuable.", "I can review it this week.",
                    "Could we record the next one for people in other time zones?", "The part about {topic2} "
                    "really resonated.", "Signing up!"),
        "answers": ("Write down your wins every week, then the promotion case writes itself.", "Practice it "
                    "three times in front of friendly people. The third run is always the good one."),
        "conf": ("PyCon", "Lead Dev", "Web Summit", "a local meetup", "KubeCon", "Config"),
        "topic2": ("sponsorship", "career growth", "public speaking", "negotiation", "leading without authority"),
    },
    "language": {
        "titles": ("Tandem partners: {lang} and English", "Word of the week ({lang})", "Conversation hour: "
                   "{lang} table on {weekday}", "Film night in {lang}"),
        "questions": ("Best apps for learning {lang}?", "How long until you felt conversational in {lang}?"),
        "openers": ("Looking for a tandem partner: I speak English and some Portuguese, I want to learn {lang}. "
                    "Thirty minutes a week over lunch?", "Word of the week: *{word}*. Bonus points for using "
                    "it in a meeting.", "The {lang} table meets on {weekday} at {time} in {room}. All levels."),
        "replies": ("I'd love to be your partner, I'm learning English!", "Haha, I'll try it in standup.",
                    "Is there a beginners' table too?", "Count me in for {weekday}.", "Great idea 👏"),
        "answers": ("An app for vocabulary and a weekly conversation partner. The partner matters more.",
                    "About {n} months of daily practice before I could follow a meeting."),
        "lang": ("German", "Spanish", "Japanese", "French", "Portuguese", "Hindi", "Italian"),
        "word": ("Feierabend", "sobremesa", "tsundoku", "saudade", "hygge", "Gemütlichkeit"),
    },
    "social": {
        "titles": ("Meetup on {weekday} in {city}", "Recommendations thread: {thing2}", "Welcome, new members!",
                   "Photos from the last meetup", "{month} plans"),
        "questions": ("Where should we go next?", "Anyone near the {city} office interested?",
                      "Good {thing2} recommendations?"),
        "openers": ("We're meeting on {weekday} at {time} near the {city} office. Reply if you're coming so we "
                    "can book a table.", "Post your favourite {thing2} below. One each, the best get a pin.",
                    "Welcome to everyone who joined this month! Introduce yourself below."),
        "replies": ("I'll be there!", "Can't make it this time, have fun!", "My favourite: the little place "
                    "behind the station.", "Hi all, I'm new in {team} and glad to find this group.",
                    "Same time next month?", "Great photos 😄"),
        "answers": ("The place near the {city} office with the big tables works well for groups.",
                    "Ask in the {city} channel, a few people there know the area well."),
        "thing2": ("coffee places", "podcasts", "playlists", "recipes", "films", "weekend trips", "games"),
    },
    "team": {
        "titles": ("Weekly sync notes: week {week}", "On-call handover", "Retro: sprint {sprint}",
                   "Proposal: {change}", "Offsite planning", "Welcome {first}!", "Quarterly goals draft"),
        "questions": ("Who owns the {system}?", "Question about the {system} deploy", "How do we request access "
                      "to the {system}?", "Is anyone else seeing slow builds today?"),
        "openers": ("Notes from this week's sync:\n\n- {system}: on track\n- hiring: {n} interviews this week\n"
                    "- reminder: fill in the offsite survey", "Handing over on-call. Quiet week except one alert "
                    "on the {system} on {weekday}, root cause in the incident doc.", "I'd like to propose we "
                    "**{change}**. Trying it for {n} weeks, then we decide in the retro.",
                    "What went well: shipping the {system} changes. What didn't: too many meetings. "
                    "Actions are in the doc."),
        "replies": ("Thanks for the notes!", "+1, let's try it.", "I'm not sure about this. Can we discuss in the "
                    "sync?", "The alert on {weekday} was me, sorry, fixed now.", "Added my comments to the doc.",
                    "Happy to own this one.", "Welcome to the team! 🎉"),
        "answers": ("The {system} belongs to {team}, ask in their channel.", "Request it in the IT portal, "
                    "your manager approves it, usually within a day.", "Yes, the cache was cold after the "
                    "upgrade, should be fine now."),
        "system": ("billing service", "search indexer", "release pipeline", "analytics dashboards",
                   "onboarding flow", "CRM integration", "payroll export", "VPN"),
        "change": ("move standups to async", "keep a decision log", "try a no-meetings Wednesday",
                   "rotate the retro facilitator", "write one-page proposals before big changes"),
        "week": ("12", "18", "23", "31", "37", "44"),
        "sprint": ("41", "42", "43", "44", "45"),
        "first": ("Ana", "Tom", "Priya", "Kenji", "Lea", "Marcus", "Sofia"),
    },
    "project": {
        "titles": ("Kickoff: scope and milestones", "Status update, week {n}", "Launch checklist",
                   "Risks and open questions", "Customer feedback from the {region} pilot", "Decision: {decision}"),
        "questions": ("Do we have a date for {decision}?", "Who signs off on {decision}?",
                      "Can someone from {team} review the rollout plan?"),
        "openers": ("Welcome to the project space. Goal: ship by the end of {month}. Milestones:\n\n1. design "
                    "review\n2. pilot with {n} customers in {region}\n3. general availability",
                    "Status: **green**. Pilot feedback from {region} is positive, two bugs left, both small.",
                    "We need a decision on {decision} by {weekday}. Options and trade-offs are in the doc."),
        "replies": ("Thanks, clear summary.", "Legal needs {n} more days for the contract changes.",
                    "From the {team} side we're ready.", "Can we add a rollback plan to the checklist?",
                    "I'll join the pilot calls in {region}.", "Agree with option two."),
        "answers": ("The steering group signs off, next meeting is {weekday}.", "I can review it today."),
        "region": ("EMEA", "North America", "APAC", "LATAM"),
        "decision": ("the launch date", "the pricing tier names", "which regions go first", "the beta criteria"),
    },
}
WELCOME_TITLE = "Welcome to {group}: start here"
WELCOME_BODY = (
    "Welcome to **{group}**! A few house rules:\n\n- be kind\n- search before asking\n- keep work secrets in work "
    "channels\n\nIntroduce yourself below: who you are, where you sit, and what brought you here."
)
WELCOME_REPLIES = (
    "Hi all! I'm in {team}, based in {city}. Glad to be here.", "Hello from {city} 👋",
    "Joined after a colleague recommended it. Hi everyone!", "Long-time lurker, first post. Hi!",
    "Hi! I started last month and this is my first group.",
)
GENERIC_REPLIES = (
    "{thanks}!", "+1", "Following this thread.", "Great idea.", "I can't make {weekday}, next time!",
    "We tried something similar in {team} last quarter, happy to share notes.", "Is there a calendar invite?",
    "Does this work for people in {city} too?", "Good point, I hadn't thought of that.", "Agreed 👍",
)
UPDATES = (
    "**Update:** moved to {weekday} at {time}, same place.", "**Edit:** fixed the link, thanks for spotting it.",
    "**Update:** we're full for this one, next round in {month}.", "**Edit:** typo.",
)
MENTION_LINES = ("@{handle} what do you think?", "cc @{handle}", "@{handle} this might interest you.",
                 "Thanks @{handle}, that helped a lot!")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclasses.dataclass(frozen=True)
class Spec:
    name: str
    topic: str
    kind: str = Group.Kind.INTEREST
    join: str = Group.JoinPolicy.OPEN
    read: str = ""  # who may read; blank: the default for the join policy (members only unless open)
    tags: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    department: str = ""  # a path prefix: members come from there
    archived: bool = False
    popularity: float = 0.3
    description: str = ""

    @property
    def read_access(self) -> str:
        return self.read or default_read_access(self.join)

    @property
    def listed(self) -> bool:
        return is_listed(self.read_access, self.join)


INTEREST, TEAM, PROJECT = Group.Kind.INTEREST, Group.Kind.TEAM, Group.Kind.CROSS_FUNCTIONAL
OPEN, REQUEST, INVITATION = Group.JoinPolicy.OPEN, Group.JoinPolicy.REQUEST, Group.JoinPolicy.INVITATION
MEMBERS, ORGANIZATION = Group.ReadAccess.MEMBERS, Group.ReadAccess.ORGANIZATION
# Ordered so that a small organization (a prefix) still has every kind, each of the six combinations of who may
# read and who may join, and the archived group.
CATALOGUE: tuple[Spec, ...] = (
    Spec("Running Club", "running", tags=("running", "marathons", "triathlon"), popularity=1.0,
         description="Lunch runs, weekend long runs and race sign-ups. All paces welcome."),
    Spec("Book Club", "books", join=REQUEST, tags=("reading", "fantasy novels", "science fiction"),
         popularity=0.45, description="One book a month, one evening to talk about it. We keep the group small."),
    Spec("Python Guild", "python", skills=("Python", "Django", "pandas"), popularity=0.7,
         description="Pythonistas across teams: lightning talks, upgrade notes, code review help."),
    Spec("Platform Engineering", "team", kind=TEAM, join=INVITATION, read=ORGANIZATION,
         department="Engineering / Platform", popularity=0.5,
         description="The Platform department's space: syncs, on-call, proposals. Everyone may read along."),
    Spec("Project Atlas: new checkout", "project", kind=PROJECT, popularity=0.35,
         description="Cross-functional project: the new checkout, from design to launch."),
    Spec("People Team", "team", kind=TEAM, join=INVITATION, department="People", popularity=0.2,
         description="Private space of the People team."),
    Spec("Board Games Night", "boardgames", tags=("board games", "tabletop RPGs", "puzzles"), popularity=0.6,
         description="Monthly games nights and lunch-break games. Newcomers very welcome."),
    Spec("Film Club", "social", tags=("movies", "film photography"), archived=True, popularity=0.25,
         description="We watched a film a month until the cinema closed. Kept for the memories."),
    Spec(f"Parents at {COMPANY}", "parents", tags=("parenting",), popularity=0.55,
         description="Childcare, school holidays, parental leave and everything in between."),
    Spec("Climbing and Bouldering", "outdoors", tags=("climbing", "bouldering"), popularity=0.4,
         description="Weekly bouldering sessions and the occasional trip outdoors."),
    Spec("Photography", "creative", tags=("photography", "film photography"), popularity=0.5,
         description="Photo walks, monthly themes and friendly critique."),
    Spec("Sustainability Champions", "sustainability", tags=("sustainability", "volunteering", "gardening"),
         popularity=0.35, description="Making our offices and offsites greener, one bin at a time."),
    Spec("Women in Tech", "community", read=MEMBERS, popularity=0.45,
         description="Mentoring circles, speaker prep and a supportive network. Allies welcome; conversations "
                     "stay among members."),
    Spec("Language Exchange", "language", tags=("learning languages", "travel"), popularity=0.3,
         description="Find a tandem partner, join a conversation table."),
    Spec("Q3 Pricing Review", "project", kind=PROJECT, join=REQUEST, read=ORGANIZATION, popularity=0.15,
         description="Working group for the pricing review, readable by everyone. Ask to join if you have input."),
    Spec("Customer Support Crew", "team", kind=TEAM, department="Customer Success / Support", popularity=0.45,
         description="The Support department: handovers, tooling, shout-outs."),
    Spec("Cooking and Baking", "social", tags=("cooking", "baking", "sourdough"), popularity=0.4,
         description="Recipes, potlucks and a sourdough starter that has outlived three owners."),
    Spec("Coffee Lovers", "social", tags=("coffee", "tea"), popularity=0.8,
         description="Beans, brewing methods and where to find a decent flat white near each office."),
    Spec("Launch: Northwind Mobile 3.0", "project", kind=PROJECT, join=INVITATION, popularity=0.15,
         description="Private until announced: the 3.0 launch across Mobile, Marketing and Support."),
    Spec("Yoga and Mindfulness", "social", tags=("yoga", "meditation", "pilates"), popularity=0.35,
         description="Lunchtime yoga, guided meditation and a quiet room schedule."),
    Spec("Gamers", "social", tags=("video games", "esports", "anime"), popularity=0.4,
         description="What we're playing, LAN evenings and the occasional tournament."),
    Spec("Cycling", "outdoors", tags=("cycling", "triathlon"), popularity=0.3,
         description="Commuting tips, weekend rides and bike maintenance help."),
    Spec("Sales EMEA", "team", kind=TEAM, department="Sales / EMEA", popularity=0.3,
         description="The EMEA sales team: deals, enablement, wins."),
    Spec("Music Makers", "creative", tags=("guitar", "piano", "singing", "choir"), popularity=0.25,
         description="Jam sessions, the office choir and gear talk."),
    Spec("Dog People", "social", tags=("dogs",), popularity=0.3,
         description="Office dog rules, walks and far too many photos."),
)
INTEREST_TOPICS = {
    "running": "running", "marathons": "running", "triathlon": "running", "reading": "books",
    "science fiction": "books", "fantasy novels": "books", "poetry": "books", "board games": "boardgames",
    "tabletop RPGs": "boardgames", "puzzles": "boardgames", "chess": "boardgames", "hiking": "outdoors",
    "climbing": "outdoors", "bouldering": "outdoors", "cycling": "outdoors", "camping": "outdoors",
    "kayaking": "outdoors", "sailing": "outdoors", "skiing": "outdoors", "surfing": "outdoors",
    "photography": "creative", "film photography": "creative", "painting": "creative", "drawing": "creative",
    "urban sketching": "creative", "creative writing": "creative", "guitar": "creative", "piano": "creative",
    "sustainability": "sustainability", "gardening": "sustainability", "volunteering": "sustainability",
    "learning languages": "language", "parenting": "parents",
}
PROJECT_NAMES = ("Atlas", "Beacon", "Compass", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iris", "Juniper",
                 "Keystone", "Lumen", "Meridian", "Nova", "Orbit", "Pioneer", "Quartz", "Relay", "Summit", "Tundra")
PROJECT_THEMES = ("checkout redesign", "data residency", "SSO for enterprise", "mobile onboarding", "pricing v2",
                  "support tooling", "partner portal", "billing migration", "search relevance", "office move",
                  "hiring process", "sales playbook", "accessibility audit", "cost reduction")


# --- Sampling -------------------------------------------------------------------------------------


class Cumulative:
    """Weighted draws of indexes with precomputed cumulative weights."""

    def __init__(self, weights: Sequence[float]) -> None:
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1] if self.cumulative else 0.0

    def draw(self, rng: random.Random) -> int:
        return min(bisect.bisect(self.cumulative, rng.random() * self.total), len(self.cumulative) - 1)


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Integer shares of ``total`` proportional to ``weights`` (largest remainder)."""
    weight_sum = sum(weights) or 1.0
    exact = [total * w / weight_sum for w in weights]
    counts = [int(v) for v in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class Texts:
    """Fills templates from ``rng`` and renders paragraphs once each (templates repeat a lot)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.html: dict[str, str] = {}

    def fill(self, template: str, topic: str, extra: dict[str, str] | None = None) -> str:
        vocab = TOPICS[topic]

        def value(match: re.Match[str]) -> str:
            key = match.group(1)
            if extra and key in extra:
                return extra[key]
            return self.rng.choice(vocab.get(key) or COMMON[key])

        return PLACEHOLDER.sub(value, template)

    def pick(self, topic: str, key: str, extra: dict[str, str] | None = None) -> str:
        return self.fill(self.rng.choice(TOPICS[topic][key]), topic, extra)

    def render(self, paragraphs: Sequence[str], mentioned: Sequence[Profile] = ()) -> str:
        """``render_body`` of the paragraphs joined by blank lines, one paragraph at a time."""
        parts = []
        for paragraph in paragraphs:
            if mentioned and "@" in paragraph:
                parts.append(render_body(paragraph, mentioned))
                continue
            html = self.html.get(paragraph)
            if html is None:
                if len(self.html) > 200_000:
                    self.html.clear()
                html = self.html[paragraph] = render_body(paragraph, [])
            parts.append(html)
        return "".join(parts)


# --- The people we work with ------------------------------------------------------------------------


@dataclasses.dataclass
class People:
    """Seeded members by position (pk order): key, department, first name, mention handle, posting weight."""

    pks: list[int]
    departments: list[int | None]
    first_names: list[str]
    handles: list[str]
    chattiness: list[float]
    by_tag: dict[str, list[int]]
    by_skill: dict[str, list[int]]
    by_department: dict[str, list[int]]  # department path -> positions (also for each ancestor path)
    teams: list[tuple[str, str, list[int]]]  # (team name, department path, positions)

    def __len__(self) -> int:
        return len(self.pks)


def load_people(rng: random.Random) -> People:
    rows = seeded_profiles().order_by("pk").values_list(
        "pk", "department_id", "preferred_name", "full_name", "user__email", "department__path", "team_id"
    )
    pks: list[int] = []
    departments: list[int | None] = []
    first_names: list[str] = []
    handles: list[str] = []
    position: dict[int, int] = {}
    by_department: dict[str, list[int]] = defaultdict(list)
    by_team: dict[int, list[int]] = defaultdict(list)
    for i, (pk, department_id, preferred, full_name, email, path, team_id) in enumerate(rows.iterator(chunk_size=5000)):
        position[pk] = i
        pks.append(pk)
        departments.append(department_id)
        first_names.append((preferred or full_name).split(" ")[0])
        handles.append(email.split("@", 1)[0])
        if path:
            parts = path.split(PATH_SEPARATOR)
            for depth in range(1, len(parts) + 1):
                by_department[PATH_SEPARATOR.join(parts[:depth])].append(i)
        if team_id is not None:
            by_team[team_id].append(i)
    # A few prolific posters, many lurkers: most people barely post, the rest follow a heavy tail.
    chattiness = [0.03 if rng.random() < LURKER_SHARE else min(60.0, rng.paretovariate(1.2)) for _ in pks]

    def grouped(kind: str) -> dict[str, list[int]]:
        result: dict[str, list[int]] = defaultdict(list)
        through = Profile.interests.through if kind == Tag.Kind.INTEREST else Profile.skills.through
        links = through.objects.filter(profile_id__in=seeded_profiles().values("pk")).order_by("profile_id", "tag_id")
        names = dict(Tag.objects.filter(kind=kind).values_list("pk", "name"))
        for profile_id, tag_id in links.values_list("profile_id", "tag_id").iterator(chunk_size=10_000):
            result[names[tag_id]].append(position[profile_id])
        return result

    teams = []
    team_rows = Team.objects.filter(pk__in=list(by_team)).select_related("department").order_by("pk")
    for team in team_rows:
        teams.append((team.name, team.department.path if team.department else "", by_team[team.pk]))
    return People(pks, departments, first_names, handles, chattiness, grouped(Tag.Kind.INTEREST),
                  grouped(Tag.Kind.SKILL), dict(by_department), teams)


# --- The groups -------------------------------------------------------------------------------------


def group_specs(rng: random.Random, count: int, people: People) -> list[Spec]:
    """The catalogue first, then (for larger organizations) city chapters, more interests, team groups
    and projects, in a fixed interleaving until ``count``."""
    specs = list(CATALOGUE[:count])
    if count <= len(specs):
        return specs
    cities = COMMON["city"]
    interest_specs = [s for s in CATALOGUE if s.kind == INTEREST and not s.archived and s.join == OPEN and s.read_access == ORGANIZATION]
    chapters = [
        Spec(f"{s.name} {city}", s.topic, tags=s.tags, skills=s.skills, popularity=s.popularity * 0.25,
             description=f"The {city} chapter of {s.name}. {s.description}")
        for city in cities for s in interest_specs
    ]
    covered = {tag for s in CATALOGUE for tag in s.tags}
    more_interests = []
    for tag in sorted(people.by_tag, key=lambda t: (-len(people.by_tag[t]), t)):
        if tag in covered:
            continue
        topic = INTEREST_TOPICS.get(tag, "social")
        label = tag[0].upper() + tag[1:]
        more_interests.append(Spec(f"{label} Club", topic, tags=(tag,), popularity=0.3,
                                   description=f"For everyone into {tag}: meetups, tips and recommendations."))
        more_interests += [
            Spec(f"{label} Club {city}", topic, tags=(tag,), popularity=0.08,
                 description=f"The {city} chapter of the {label} Club.")
            for city in cities
        ]
    interests = iter(more_interests)
    chapter_iter = iter(chapters)
    shuffled_teams = list(people.teams)
    rng.shuffle(shuffled_teams)
    team_iter = iter(shuffled_teams)
    projects = iter(
        Spec(f"Project {name}: {theme}", "project", kind=PROJECT,
             join=INVITATION if (a + b) % 9 == 4 else (REQUEST if (a + b) % 7 == 3 else OPEN),
             popularity=0.05, description=f"Cross-functional project: {theme}.")
        for b, theme in enumerate(PROJECT_THEMES) for a, name in enumerate(PROJECT_NAMES)
    )
    names = {s.name for s in specs}
    pattern = ("chapter", "team", "interest", "team", "project", "chapter", "team", "interest", "project", "team")
    for step in itertools.cycle(pattern):
        if len(specs) >= count:
            break
        spec: Spec | None = None
        if step == "chapter":
            spec = next(chapter_iter, None)
        elif step == "interest":
            spec = next(interests, None)
        elif step == "project":
            spec = next(projects, None)
        else:
            team = next(team_iter, None)
            if team is not None:
                name, path, _members = team
                spec = Spec(f"{name} ({path.split(PATH_SEPARATOR)[-1]})" if path else name, "team", kind=TEAM,
                            department=f"team:{name}:{path}", popularity=0.05,
                            join=INVITATION if rng.random() < 0.1 else OPEN,
                            description=f"Team space of {name}.")
        if spec is None:
            spec = Spec(f"{rng.choice(PROJECT_NAMES)} {rng.choice(PROJECT_THEMES)} working group {len(specs)}",
                        "project", kind=PROJECT, popularity=0.05, description="A working group.")
        if spec.name not in names:
            names.add(spec.name)
            specs.append(spec)
    return specs


def candidate_pool(spec: Spec, people: People) -> list[int]:
    if spec.department.startswith("team:"):
        _, name, path = spec.department.split(":", 2)
        for team_name, team_path, members in people.teams:
            if team_name == name and team_path == path:
                return members
        return []
    if spec.department:
        return people.by_department.get(spec.department, [])
    pool: list[int] = []
    for tag in spec.tags:
        pool += people.by_tag.get(tag, [])
    for skill in spec.skills:
        pool += people.by_skill.get(skill, [])
    return sorted(set(pool))


def choose_members(rng: random.Random, spec: Spec, size: int, people: People) -> list[int]:
    """Distinct member positions; most from the matching pool, the rest from anyone."""
    pool = candidate_pool(spec, people)
    team_group = spec.kind == TEAM
    from_pool = min(len(pool), size if team_group else round(size * 0.75))
    chosen = rng.sample(pool, from_pool) if from_pool else []
    seen = set(chosen)
    if not team_group:
        attempts = 0
        while len(chosen) < size and attempts < size * 4:
            attempts += 1
            i = rng.randrange(len(people))
            if i not in seen:
                seen.add(i)
                chosen.append(i)
    while len(chosen) < min(3, len(people)):  # a team too small to find: a few colleagues from anywhere
        i = rng.randrange(len(people))
        if i not in seen:
            seen.add(i)
            chosen.append(i)
    return chosen


# --- Writing --------------------------------------------------------------------------------------


@dataclasses.dataclass
class Tally:
    memberships: int = 0
    threads: int = 0
    posts: int = 0
    reactions: int = 0
    questions: int = 0
    answered: int = 0
    participations: int = 0
    interactions: int = 0


class Writer:
    """Buffers one batch of discussions (threads, replies, reactions, revisions, facts) and writes it."""

    def __init__(self, *, batch_size: int, progress: Progress | None, tally: Tally) -> None:
        self.batch_size = batch_size
        self.progress = progress
        self.tally = tally
        self.reset()

    def reset(self) -> None:
        self.memberships: list[Membership] = []
        self.threads: list[Thread] = []
        self.posts: list[Post] = []
        self.accepted: list[tuple[Thread, Post]] = []
        self.revisions: list[Revision] = []
        self.reactions: list[Reaction] = []
        # Facts refer to objects whose keys are known only after writing: (fact, object or None).
        self.participations: list[tuple[Participation, Thread | Post | None]] = []
        self.interactions: list[Interaction] = []

    def fact(self, *, member: int, verb: str, department: int | None, at: dt.datetime, group: Group,
             target: Thread | Post | None = None) -> None:
        kind = "thread" if isinstance(target, Thread) else ("post" if target is not None else "")
        self.participations.append((
            Participation(member_id=member, verb=verb, occurred_at=at, department_id=department, group_id=group.pk,
                          object_type=kind),
            target,
        ))

    def interaction(self, *, actor: int, other: int, kind: str, actor_department: int | None,
                    other_department: int | None, at: dt.datetime, group: Group) -> None:
        if actor != other:
            self.interactions.append(Interaction(
                actor_id=actor, other_id=other, kind=kind, occurred_at=at, actor_department_id=actor_department,
                other_department_id=other_department, group_id=group.pk,
            ))

    def maybe_flush(self) -> None:
        if len(self.posts) + len(self.threads) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        size = self.batch_size
        Membership.objects.bulk_create(self.memberships, batch_size=size)
        Thread.objects.bulk_create(self.threads, batch_size=size)
        Post.objects.bulk_create(self.posts, batch_size=size)
        for thread, post in self.accepted:
            thread.accepted_post_id = post.pk
        Thread.objects.bulk_update([thread for thread, _ in self.accepted], ["accepted_post"], batch_size=1000)
        Revision.objects.bulk_create(self.revisions, batch_size=size)
        Reaction.objects.bulk_create(self.reactions, batch_size=size)
        facts = []
        for fact, target in self.participations:
            if target is not None:
                fact.object_id = target.pk
            facts.append(fact)
        Participation.objects.bulk_create(facts, batch_size=size)
        Interaction.objects.bulk_create(self.interactions, batch_size=size)
        tally = self.tally
        tally.memberships += len(self.memberships)
        tally.threads += len(self.threads)
        tally.posts += len(self.posts)
        tally.reactions += len(self.reactions)
        tally.participations += len(facts)
        tally.interactions += len(self.interactions)
        if self.progress is not None and self.posts:
            self.progress(len(self.posts))
        self.reset()


class Discussions:
    """Generates one group's memberships and discussions into the writer."""

    def __init__(self, *, rng: random.Random, people: People, texts: Texts, writer: Writer, kinds: list[ReactionKind],
                 start: dt.datetime, end: dt.datetime) -> None:
        self.rng = rng
        self.people = people
        self.texts = texts
        self.writer = writer
        self.kinds = kinds
        self.kind_draw = Cumulative([45, 10, 20, 15, 10][: len(kinds)] + [5] * max(0, len(kinds) - 5))
        self.start = start
        self.end = end
        self.longest = 0
        self.stub_profiles: dict[int, Profile] = {}
        self.member_ids: list[int] = []
        self.spec_open = False

    # Time ----------------------------------------------------------------------------------------

    def working_time(self, at: dt.datetime) -> dt.datetime:
        """Mostly weekdays, mostly office hours (UTC is close enough for a demo)."""
        rng = self.rng
        if at.weekday() >= 5 and rng.random() < 0.8:
            at -= dt.timedelta(days=at.weekday() - 4)
        hour = min(22, max(6, round(rng.gauss(13, 3))))
        return at.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)

    def between(self, first: dt.datetime, last: dt.datetime, skew: float = 1.0) -> dt.datetime:
        span = max(0.0, (last - first).total_seconds())
        return first + dt.timedelta(seconds=span * self.rng.random() ** skew)

    def reply_times(self, first: dt.datetime, last: dt.datetime, count: int) -> list[dt.datetime]:
        """Replies come in bursts: gaps of minutes to days (log-normal mean per thread), squeezed to fit."""
        rng = self.rng
        mean = math.exp(rng.gauss(math.log(3 * 3600), 1.0))
        offsets = list(itertools.accumulate(rng.expovariate(1 / mean) + 30 for _ in range(count)))
        span = (last - first).total_seconds()
        if offsets and offsets[-1] > span:
            offsets = [o * span * 0.98 / offsets[-1] for o in offsets]
        return [first + dt.timedelta(seconds=round(o)) for o in offsets]

    # People --------------------------------------------------------------------------------------

    def profile_stub(self, i: int) -> Profile:
        """An unsaved Profile with its key and address: enough for render_body to link a mention."""
        stub = self.stub_profiles.get(i)
        if stub is None:
            if len(self.stub_profiles) > 50_000:
                self.stub_profiles.clear()
            stub = Profile(pk=self.people.pks[i], user=User(email=f"{self.people.handles[i]}@{SEED_EMAIL_DOMAIN}"))
            self.stub_profiles[i] = stub
        return stub

    # One group -----------------------------------------------------------------------------------

    def group(self, group: Group, spec: Spec, member_ids: list[int], replies_total: int) -> int:
        """Memberships and discussions of one group; returns its active member count."""
        rng, people, writer = self.rng, self.people, self.writer
        self.member_ids, self.spec_open = member_ids, spec.join == OPEN and spec.read_access == ORGANIZATION
        created = group.created_at
        content_start = max(created, self.start)
        content_end = self.end
        if spec.archived:
            content_end = min(self.end, content_start + dt.timedelta(days=70))
        # Memberships: the first is the creator and organizer; a few more organizers and moderators.
        joined: dict[int, dt.datetime] = {}
        size = len(member_ids)
        organizers = 1 + (size > 15) + (size > 200)
        moderators = (size > 25) + (size > 80) + (size > 500)
        for rank, i in enumerate(member_ids):
            if rank == 0:
                at = created
            elif rng.random() < 0.7:
                at = self.between(created, content_start)
            else:
                at = self.between(content_start, content_end)
            joined[i] = at
            role = (Membership.Role.ORGANIZER if rank < organizers else
                    Membership.Role.MODERATOR if rank < organizers + moderators else Membership.Role.MEMBER)
            writer.memberships.append(Membership(group=group, profile_id=people.pks[i], role=role,
                                                 status=Membership.Status.ACTIVE, created_at=at, joined_at=at))
            writer.fact(member=people.pks[i], verb="joined_group", department=people.departments[i], at=at, group=group)
        creator = member_ids[0]
        writer.fact(member=people.pks[creator], verb="created_group", department=people.departments[creator],
                    at=created, group=group)
        if not spec.archived:
            outsiders = [rng.randrange(len(people)) for _ in range(max(1, size // 25))]
            for i in dict.fromkeys(outsiders):
                if i in joined:
                    continue
                if spec.join == REQUEST:
                    writer.memberships.append(Membership(
                        group=group, profile_id=people.pks[i], status=Membership.Status.REQUESTED,
                        created_at=self.between(self.end - dt.timedelta(days=20), self.end)))
                elif spec.join == INVITATION:
                    writer.memberships.append(Membership(
                        group=group, profile_id=people.pks[i], status=Membership.Status.INVITED,
                        invited_by_id=people.pks[creator],
                        created_at=self.between(self.end - dt.timedelta(days=20), self.end)))
        staff = member_ids[: organizers + moderators]

        # Threads: how many, and how the group's replies spread over them (a heavy tail).
        posters = Cumulative([people.chattiness[i] for i in member_ids])
        if replies_total == 0 and rng.random() < 0.3:
            return size  # a quiet group nobody has written in yet
        thread_count = max(1, round(replies_total / REPLIES_PER_THREAD * rng.uniform(0.7, 1.3)))
        welcome = thread_count >= 3
        weights = [min(150.0, rng.paretovariate(1.15)) for _ in range(thread_count)]
        if welcome:
            weights[0] = max(weights[0], sum(weights) * 0.08)
        reply_counts = apportion(replies_total, weights)
        group_topic = spec.topic
        visible_threads = 0
        last_activity = created
        for t, replies in enumerate(reply_counts):
            is_welcome = welcome and t == 0
            if is_welcome:
                author = creator
                at = content_start + dt.timedelta(hours=rng.randrange(1, 48))
            else:
                author = member_ids[posters.draw(rng)]
                at = self.working_time(self.between(content_start, content_end - dt.timedelta(hours=2)))
                if joined[author] > at:
                    author = creator
            at = max(at, created)
            thread = self.thread(group, spec, group_topic, author, at, is_welcome)
            times = self.reply_times(at, content_end, replies)
            posts: list[tuple[Post, int]] = []
            visible_replies = 0
            for when in times:
                if rng.random() < 0.12 and not is_welcome:
                    replier = author  # the asker comes back
                else:
                    replier = member_ids[posters.draw(rng)]
                    if joined[replier] > when:
                        replier = member_ids[posters.draw(rng)]
                        if joined[replier] > when:
                            replier = creator
                post = self.reply(thread, group, group_topic, replier, author, when, is_welcome, posts)
                posts.append((post, replier))
                if post.deleted_at is None:
                    visible_replies += 1
            thread.reply_count = visible_replies
            thread.last_activity_at = times[-1] if times else at
            self.longest = max(self.longest, visible_replies)
            self.finish_thread(thread, group, author, posts, staff, is_welcome)
            if thread.deleted_at is None:
                visible_threads += 1
            last_activity = max(last_activity, thread.last_activity_at)
            writer.maybe_flush()
        group.thread_count = visible_threads
        group.last_activity_at = last_activity
        return size

    def thread(self, group: Group, spec: Spec, topic: str, author: int, at: dt.datetime, welcome: bool) -> Thread:
        rng, texts, people = self.rng, self.texts, self.people
        is_question = False
        if welcome:
            title = WELCOME_TITLE.format(group=group.name)
            paragraphs = WELCOME_BODY.format(group=group.name).split("\n\n")
        else:
            is_question = rng.random() < 0.22
            title = texts.pick(topic, "questions" if is_question else "titles")
            paragraphs = [texts.pick(topic, "openers")]
            if rng.random() < 0.35:
                paragraphs.append(texts.fill(rng.choice(("What do you think?", "Thoughts welcome!",
                                                         "Reply here if you're interested.", "Thanks in advance!",
                                                         "More details in the doc, ask me anything.")), topic))
            if is_question and rng.random() < 0.5:
                paragraphs.insert(0, texts.fill(rng.choice(("Quick question for the group.",
                                                            "Hoping someone here knows this one.",
                                                            "Asking for {team}.")), topic))
        body = "\n\n".join(paragraphs)
        thread = Thread(group=group, author_id=people.pks[author], title=title[:200], body=body,
                        body_html=texts.render(paragraphs), is_question=is_question, created_at=at,
                        last_activity_at=at, reply_count=0)
        if welcome:
            thread.pinned_at = at
        elif rng.random() < 0.04:
            update = texts.fill(rng.choice(UPDATES), topic)
            edited = at + dt.timedelta(minutes=rng.randrange(5, 3000))
            if edited < self.end:
                self.writer.revisions.append(Revision(thread=thread, title=thread.title, body=body,
                                                      edited_by_id=thread.author_id, created_at=edited))
                paragraphs = [*paragraphs, update]
                thread.body = "\n\n".join(paragraphs)
                thread.body_html = texts.render(paragraphs)
                thread.edited_at = edited
        self.writer.threads.append(thread)
        self.writer.fact(member=thread.author_id, verb="asked" if is_question else "posted",
                         department=people.departments[author], at=at, group=group, target=thread)
        return thread

    def reply(self, thread: Thread, group: Group, topic: str, replier: int, author: int, at: dt.datetime,
              welcome: bool, earlier: list[tuple[Post, int]]) -> Post:
        rng, texts, people, writer = self.rng, self.texts, self.people, self.writer
        extra = {"op": people.first_names[author]}
        if welcome:
            paragraphs = [texts.fill(rng.choice(WELCOME_REPLIES), topic)]
        elif thread.is_question and replier != author and rng.random() < 0.5:
            paragraphs = [texts.pick(topic, "answers", extra)]
        elif replier == author and earlier:
            paragraphs = [texts.fill(rng.choice(("Thanks everyone!", "That's really helpful, thank you.",
                                                 "Great, see you all on {weekday}.", "Noted, I'll update the doc.")),
                                     topic)]
        elif rng.random() < 0.3:
            paragraphs = [texts.fill(rng.choice(GENERIC_REPLIES), topic, extra)]
        else:
            paragraphs = [texts.pick(topic, "replies", extra)]
            if rng.random() < 0.15:
                paragraphs.append(texts.fill(rng.choice(GENERIC_REPLIES), topic, extra))
        mentioned: list[Profile] = []
        if earlier and rng.random() < 0.05:
            other = author if replier != author else earlier[rng.randrange(len(earlier))][1]
            if other != replier:
                paragraphs.append(rng.choice(MENTION_LINES).format(handle=people.handles[other]))
                mentioned = [self.profile_stub(other)]
        body = "\n\n".join(paragraphs)
        post = Post(thread=thread, author_id=people.pks[replier], body=body,
                    body_html=texts.render(paragraphs, mentioned), created_at=at)
        if rng.random() < 0.03:
            edited = at + dt.timedelta(minutes=rng.randrange(2, 600))
            if edited < self.end:
                writer.revisions.append(Revision(post=post, body=body, edited_by_id=post.author_id, created_at=edited))
                paragraphs = [*paragraphs, texts.fill(rng.choice(UPDATES), topic)]
                post.body = "\n\n".join(paragraphs)
                post.body_html = texts.render(paragraphs, mentioned)
                post.edited_at = edited
        if rng.random() < 0.012:
            post.deleted_at = self.between(at, min(self.end, at + dt.timedelta(days=3)))
            post.deleted_by_id = post.author_id
        writer.posts.append(post)
        writer.fact(member=post.author_id, verb="replied", department=people.departments[replier], at=at,
                    group=group, target=post)
        writer.interaction(actor=post.author_id, other=thread.author_id, kind="reply",
                           actor_department=people.departments[replier], other_department=people.departments[author],
                           at=at, group=group)
        return post

    def finish_thread(self, thread: Thread, group: Group, author: int, posts: list[tuple[Post, int]],
                      staff: list[int], welcome: bool) -> None:
        """Accepted answer, lock, soft delete and reactions, once the replies are known."""
        rng, people, writer = self.rng, self.people, self.writer
        if thread.is_question:
            self.writer.tally.questions += 1
            answers = [(p, i) for p, i in posts if i != author and p.deleted_at is None]
            if answers and rng.random() < 0.6:
                post, answerer = answers[min(len(answers) - 1, int(rng.expovariate(0.8)))]
                writer.accepted.append((thread, post))
                writer.tally.answered += 1
                at = min(self.end, post.created_at + dt.timedelta(hours=rng.randrange(1, 72)))
                writer.fact(member=post.author_id, verb="answered", department=people.departments[answerer], at=at,
                            group=group, target=post)
        if not welcome and rng.random() < 0.015:
            thread.locked_at = min(self.end, thread.last_activity_at + dt.timedelta(days=1))
        elif not welcome and rng.random() < 0.006:
            thread.deleted_at = min(self.end, thread.last_activity_at + dt.timedelta(hours=rng.randrange(1, 48)))
            thread.deleted_by_id = people.pks[rng.choice(staff)]
        # Reactions: on half the opening posts and a third of the replies, a few each (some get many);
        # mostly from the group's members, in open groups sometimes from passers-by.
        member_ids = self.member_ids
        anyone = 0.15 if self.spec_open else 0.0
        targets: list[tuple[Thread | Post, int, dt.datetime, float]] = [(thread, author, thread.created_at, 0.5)]
        targets += [(post, i, post.created_at, 0.33) for post, i in posts if post.deleted_at is None]
        for target, target_author, created, share in targets:
            if rng.random() >= share:
                continue
            count = min(40, int(rng.paretovariate(1.5)))
            seen: set[tuple[int, int]] = set()
            for _ in range(count):
                reactor = rng.randrange(len(people)) if rng.random() < anyone else rng.choice(member_ids)
                kind = self.kinds[self.kind_draw.draw(rng)]
                if reactor == target_author or (kind.pk, reactor) in seen:
                    continue
                seen.add((kind.pk, reactor))
                at = self.between(created, min(self.end, created + dt.timedelta(days=4)), 2.0)
                reaction = Reaction(kind=kind, profile_id=people.pks[reactor], created_at=at)
                if isinstance(target, Thread):
                    reaction.thread = target
                else:
                    reaction.post = target
                writer.reactions.append(reaction)
                writer.fact(member=people.pks[reactor], verb="reacted", department=people.departments[reactor],
                            at=at, group=group)
                writer.interaction(actor=people.pks[reactor], other=people.pks[target_author], kind="reaction",
                                   actor_department=people.departments[reactor],
                                   other_department=people.departments[target_author], at=at, group=group)


# --- Entry points ---------------------------------------------------------------------------------


def seeded_groups() -> Any:
    """Groups a seed created: those started by a seeded member."""
    return Group.objects.filter(created_by__in=seeded_profiles().values("pk"))


def _delete_where(model: type[Any], where: str, params: Sequence[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {where}", params)  # noqa: S608 - table names


def seeded_groups_delete() -> int:
    """Remove seeded groups with everything in them, and whatever else seeded members wrote or did in
    groups, so that deleting seeded people afterwards meets no protected reference. Plain SQL deletes in
    dependency order: a million replies are not loaded into memory to be deleted one by one."""
    group_ids = list(seeded_groups().values_list("pk", flat=True))
    people = seeded_profiles().values("pk")
    with transaction.atomic():
        for start in range(0, len(group_ids), 500):
            chunk = group_ids[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            threads = f"SELECT id FROM {Thread._meta.db_table} WHERE group_id IN ({marks})"  # noqa: S608
            posts = f"SELECT id FROM {Post._meta.db_table} WHERE thread_id IN ({threads})"  # noqa: S608
            _delete_where(Reaction, f"thread_id IN ({threads}) OR post_id IN ({posts})", chunk * 2)
            _delete_where(Revision, f"thread_id IN ({threads}) OR post_id IN ({posts})", chunk * 2)
            Thread.objects.filter(group_id__in=chunk).update(accepted_post=None)
            _delete_where(Post, f"thread_id IN ({threads})", chunk)
            _delete_where(Thread, f"group_id IN ({marks})", chunk)
            Participation.objects.filter(group_id__in=chunk).delete()
            Interaction.objects.filter(group_id__in=chunk).delete()
            SearchDocument.objects.filter(group_id__in=chunk).delete()
        Group.objects.filter(pk__in=group_ids).delete()
        # Seeded members' replies and threads in other groups (someone signed in as them): hard-deleted,
        # and the counters of the threads and groups they were in put right.
        threads_touched = set(Post.objects.filter(author__in=people).values_list("thread_id", flat=True))
        groups_touched = set(Thread.objects.filter(author__in=people).values_list("group_id", flat=True))
        Thread.objects.filter(accepted_post__author__in=people).update(accepted_post=None)
        Post.objects.filter(Q(author__in=people) | Q(thread__author__in=people)).delete()
        Thread.objects.filter(author__in=people).delete()
        for thread in Thread.objects.filter(pk__in=threads_touched).annotate(
            live=Count("posts", filter=Q(posts__deleted_at__isnull=True))
        ):
            Thread.objects.filter(pk=thread.pk).update(reply_count=thread.live)
        for group in Group.objects.filter(pk__in=groups_touched).annotate(
            live=Count("threads", filter=Q(threads__deleted_at__isnull=True))
        ):
            Group.objects.filter(pk=group.pk).update(thread_count=group.live)
    return len(group_ids)


@transaction.atomic
def seed_groups(
    *,
    rng: random.Random,
    members: int,
    today: dt.date | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    posts: int | None = None,
) -> GroupsSeedResult:
    """Groups, memberships and discussions for the ``members`` seeded people (already in the database).

    ``posts`` (replies) defaults to the size's share (~2,000 for the demo, 1,000,000 for 100,000 members);
    ``progress(n)`` is called after each batch of ``n`` replies.
    """
    today = today or clock.now().date()
    end = dt.datetime.combine(today, dt.time(0), tzinfo=dt.UTC)
    start = end - dt.timedelta(days=WINDOW_DAYS)
    people = load_people(rng)
    if not len(people):
        raise ValueError("Seed people first: there are no seeded members.")
    total_posts = post_count(members) if posts is None else posts
    specs = group_specs(rng, group_count(members), people)
    reaction_kinds_ensure_defaults()
    kinds = list(ReactionKind.objects.filter(is_active=True).order_by("position", "pk"))

    # Sizes by popularity rank: a few big groups, many small ones (about 3.5 groups per person).
    popularity = [spec.popularity * rng.uniform(0.6, 1.4) for spec in specs]
    ranks = {index: rank for rank, index in enumerate(sorted(range(len(specs)), key=lambda i: -popularity[i]), 1)}
    harmonic = sum(1 / r**0.85 for r in range(1, len(specs) + 1))
    scale = MEMBERSHIPS_PER_PERSON * len(people) / harmonic
    member_lists: list[list[int]] = []
    for index, spec in enumerate(specs):
        size = round(scale / ranks[index] ** 0.85)
        if spec.join != OPEN:
            size //= 3
        size = max(3, min(size, round(len(people) * 0.45)))
        member_lists.append(choose_members(rng, spec, size, people))

    # Activity: a few very active groups, many quiet ones. Groups are ranked by size with a random twist,
    # and the replies follow Zipf's law over that rank (the busiest has ~rank-of-median times the median).
    liveliness = [
        len(m) ** 0.75 * math.exp(rng.gauss(0, 0.7)) * (0.1 if spec.archived else 1.0)
        for spec, m in zip(specs, member_lists, strict=True)
    ]
    activity_order = sorted(range(len(specs)), key=lambda i: -liveliness[i])
    activity = [0.0] * len(specs)
    for rank, index in enumerate(activity_order, 1):
        activity[index] = 1 / rank
    reply_shares = apportion(total_posts, activity)

    existing_slugs = set(Group.objects.values_list("slug", flat=True))
    groups = []
    for index, spec in enumerate(specs):
        base = slug_candidate(spec.name)
        slug, n = base, 2
        while slug in existing_slugs:
            slug, n = f"{base}-{n}", n + 1
        existing_slugs.add(slug)
        created = start - dt.timedelta(days=rng.randrange(10, 900)) if rng.random() < 0.85 else \
            start + dt.timedelta(days=rng.randrange(0, WINDOW_DAYS - 30))
        creator = member_lists[index][0] if member_lists[index] else 0
        groups.append(Group(
            name=spec.name, slug=slug, kind=spec.kind, read_access=spec.read_access, join_policy=spec.join,
            description=spec.description,
            description_html=render_body(spec.description, []), created_by_id=people.pks[creator],
            created_at=created, last_activity_at=created,
        ))
    Group.objects.bulk_create(groups, batch_size=1000)
    tag_ids = dict(Tag.objects.filter(kind=Tag.Kind.INTEREST).values_list("name", "pk"))
    Group.tags.through.objects.bulk_create([
        Group.tags.through(group_id=group.pk, tag_id=tag_ids[tag])
        for group, spec in zip(groups, specs, strict=True) for tag in spec.tags if tag in tag_ids
    ], batch_size=batch_size)

    tally = Tally()
    writer = Writer(batch_size=batch_size, progress=progress, tally=tally)
    discussions = Discussions(rng=rng, people=people, texts=Texts(rng), writer=writer, kinds=kinds, start=start,
                              end=end)
    busiest = max(range(len(specs)), key=lambda i: reply_shares[i])
    for group, spec, member_ids, replies in zip(groups, specs, member_lists, reply_shares, strict=True):
        group.member_count = discussions.group(group, spec, member_ids, replies)
        if spec.archived:
            group.archived_at = min(end, group.last_activity_at + dt.timedelta(days=20)) if group.last_activity_at \
                else end
    writer.flush()
    Group.objects.bulk_update(groups, ["member_count", "thread_count", "last_activity_at", "archived_at"],
                              batch_size=1000)
    return GroupsSeedResult(
        groups=len(groups), memberships=tally.memberships, threads=tally.threads, posts=tally.posts,
        reactions=tally.reactions, questions=tally.questions, answered=tally.answered,
        participations=tally.participations, interactions=tally.interactions,
        private=sum(not s.listed for s in specs), request=sum(s.join == REQUEST for s in specs),
        archived=sum(s.archived for s in specs), busiest_group=specs[busiest].name,
        busiest_group_posts=reply_shares[busiest], longest_thread_replies=discussions.longest,
    )


# --- The seeder (core/seeding.py) ---------------------------------------------------------------------------


class GroupsSeeder:
    """Groups, memberships and discussions. ``ctx.options["posts"]`` sets the number of replies (``bench``)."""

    name = "groups"
    order = 20

    def counts(self) -> dict[str, int]:
        groups = seeded_groups()
        posts = Post.objects.filter(thread__group__in=groups).count() if groups.exists() else 0
        return {"groups": groups.count(), "posts": posts}

    def delete_seeded(self, ctx: SeedContext) -> SeedReport:
        deleted = seeded_groups_delete()
        return SeedReport(headline=f"Deleted {deleted:,} seeded groups with their discussions." if deleted else "")

    def seed(self, ctx: SeedContext) -> SeedReport:
        started = time.perf_counter()
        posts = ctx.options.get("posts")
        with ctx.progress(post_count(ctx.members) if posts is None else posts, "posts", "Seeding groups") as bar:
            groups = seed_groups(rng=ctx.rng(self.name), members=ctx.members, posts=posts, progress=bar)
        seconds = time.perf_counter() - started
        return SeedReport(
            headline=(
                f"Seeded {groups.groups:,} groups, {groups.threads:,} threads and {groups.posts:,} replies "
                f"in {seconds:.1f} s."
            ),
            details=[
                f"  {groups.memberships:,} memberships; {groups.private} private, {groups.request} request-to-join, "
                f"{groups.archived} archived groups; {groups.reactions:,} reactions; {groups.questions:,} questions "
                f"({groups.answered:,} with an accepted answer)",
                f"  busiest group: {groups.busiest_group} ({groups.busiest_group_posts:,} replies); longest thread: "
                f"{groups.longest_thread_replies:,} replies",
                f"  activity facts: {groups.participations:,} participations, {groups.interactions:,} interactions",
            ],
            audit={"groups": groups.groups, "posts": groups.posts},
            result=groups,
        )


SEEDER = GroupsSeeder()
