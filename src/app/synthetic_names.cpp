// Name lists and the mapping from a sequence number to a synthetic person.
#include "app/synthetic_names.hpp"

#include <array>
#include <cctype>
#include <string_view>

namespace roster::app {
namespace {

constexpr std::array<std::string_view, 160> kFirstNames = {
    "James",     "Mary",     "Robert",     "Patricia",  "John",      "Jennifer", "Michael",
    "Linda",     "David",    "Elizabeth",  "William",   "Barbara",   "Richard",  "Susan",
    "Joseph",    "Jessica",  "Thomas",     "Sarah",     "Charles",   "Karen",    "Daniel",
    "Lisa",      "Matthew",  "Nancy",      "Anthony",   "Betty",     "Mark",     "Sandra",
    "Donald",    "Margaret", "Steven",     "Ashley",    "Andrew",    "Kimberly", "Paul",
    "Emily",     "Joshua",   "Donna",      "Kenneth",   "Michelle",  "Kevin",    "Carol",
    "Brian",     "Amanda",   "George",     "Melissa",   "Timothy",   "Deborah",  "Ronald",
    "Stephanie", "Jason",    "Rebecca",    "Edward",    "Sharon",    "Jeffrey",  "Laura",
    "Ryan",      "Cynthia",  "Jacob",      "Dorothy",   "Gary",      "Amy",      "Nicholas",
    "Kathleen",  "Eric",     "Angela",     "Jonathan",  "Shirley",   "Stephen",  "Emma",
    "Larry",     "Brenda",   "Justin",     "Pamela",    "Scott",     "Nicole",   "Brandon",
    "Anna",      "Benjamin", "Samantha",   "Samuel",    "Katherine", "Gregory",  "Christine",
    "Alexander", "Debra",    "Patrick",    "Rachel",    "Frank",     "Carolyn",  "Raymond",
    "Janet",     "Jack",     "Maria",      "Dennis",    "Olivia",    "Jerry",    "Heather",
    "Tyler",     "Helen",    "Aaron",      "Catherine", "Jose",      "Diane",    "Adam",
    "Julie",     "Nathan",   "Victoria",   "Henry",     "Joyce",     "Zachary",  "Lauren",
    "Douglas",   "Kelly",    "Peter",      "Christina", "Kyle",      "Ruth",     "Noah",
    "Joan",      "Ethan",    "Virginia",   "Jeremy",    "Judith",    "Walter",   "Evelyn",
    "Christian", "Hannah",   "Keith",      "Andrea",    "Roger",     "Megan",    "Terry",
    "Cheryl",    "Austin",   "Jacqueline", "Sean",      "Madison",   "Gerald",   "Teresa",
    "Carl",      "Abigail",  "Harold",     "Sophia",    "Arjun",     "Priya",    "Wei",
    "Mei",       "Hiroshi",  "Yuki",       "Mohammed",  "Fatima",    "Lucas",    "Camila",
    "Mateo",     "Sofia",    "Luca",       "Giulia",    "Lars",      "Ingrid",
};

constexpr std::array<std::string_view, 160> kLastNames = {
    "Smith",    "Johnson",   "Williams",   "Brown",     "Jones",    "Garcia",   "Miller",
    "Davis",    "Rodriguez", "Martinez",   "Hernandez", "Lopez",    "Gonzalez", "Wilson",
    "Anderson", "Thomas",    "Taylor",     "Moore",     "Jackson",  "Martin",   "Lee",
    "Perez",    "Thompson",  "White",      "Harris",    "Sanchez",  "Clark",    "Ramirez",
    "Lewis",    "Robinson",  "Walker",     "Young",     "Allen",    "King",     "Wright",
    "Scott",    "Torres",    "Nguyen",     "Hill",      "Flores",   "Green",    "Adams",
    "Nelson",   "Baker",     "Hall",       "Rivera",    "Campbell", "Mitchell", "Carter",
    "Roberts",  "Gomez",     "Phillips",   "Evans",     "Turner",   "Diaz",     "Parker",
    "Cruz",     "Edwards",   "Collins",    "Reyes",     "Stewart",  "Morris",   "Morales",
    "Murphy",   "Cook",      "Rogers",     "Gutierrez", "Ortiz",    "Morgan",   "Cooper",
    "Peterson", "Bailey",    "Reed",       "Kelly",     "Howard",   "Ramos",    "Kim",
    "Cox",      "Ward",      "Richardson", "Watson",    "Brooks",   "Chavez",   "Wood",
    "Bennett",  "Gray",      "Mendoza",    "Ruiz",      "Hughes",   "Price",    "Alvarez",
    "Castillo", "Sanders",   "Patel",      "Myers",     "Long",     "Ross",     "Foster",
    "Jimenez",  "Powell",    "Jenkins",    "Perry",     "Russell",  "Sullivan", "Bell",
    "Coleman",  "Butler",    "Henderson",  "Barnes",    "Fisher",   "Vasquez",  "Simmons",
    "Romero",   "Jordan",    "Patterson",  "Alexander", "Hamilton", "Graham",   "Reynolds",
    "Griffin",  "Wallace",   "Moreno",     "West",      "Cole",     "Hayes",    "Bryant",
    "Herrera",  "Gibson",    "Ellis",      "Tran",      "Medina",   "Aguilar",  "Stevens",
    "Murray",   "Ford",      "Castro",     "Marshall",  "Owens",    "Harrison", "Fernandez",
    "Mcdonald", "Woods",     "Washington", "Kennedy",   "Wells",    "Vargas",   "Henry",
    "Chen",     "Wang",      "Zhang",      "Singh",     "Kumar",    "Tanaka",   "Sato",
    "Muller",   "Schmidt",   "Rossi",      "Silva",     "Novak",    "Larsen",
};

// splitmix64: a cheap bijective mix, so neighbouring n land far apart in the lists.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void AppendLower(std::string& out, std::string_view word) {
  for (char c : word) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

}  // namespace

SyntheticPerson SyntheticPersonAt(std::uint64_t n) {
  const std::uint64_t hash = Mix(n);
  const std::string_view first = kFirstNames[hash % kFirstNames.size()];
  const std::string_view last = kLastNames[(hash / kFirstNames.size()) % kLastNames.size()];
  SyntheticPerson person;
  person.name.reserve(first.size() + 1 + last.size());
  person.name.append(first).append(" ").append(last);
  person.email.reserve(first.size() + last.size() + 34);
  AppendLower(person.email, first);
  person.email += '.';
  AppendLower(person.email, last);
  person.email.append(".").append(std::to_string(n)).append("@example.com");
  return person;
}

}  // namespace roster::app
