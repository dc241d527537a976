"""Word lists the synthetic company's users are made from."""

FIRST_NAMES = (
    "Aaliyah", "Aaron", "Abigail", "Adam", "Adrian", "Aisha", "Alejandro", "Alex", "Alice", "Amara",
    "Amir", "Ana", "Andre", "Angela", "Anika", "Arjun", "Ava", "Ben", "Bianca", "Brandon",
    "Camila", "Carlos", "Chen", "Chloe", "Chris", "Daniel", "Danielle", "David", "Diego", "Elena",
    "Eli", "Emily", "Emma", "Ethan", "Fatima", "Felix", "Gabriel", "Grace", "Hana", "Hannah",
    "Hiro", "Isaac", "Isabella", "Ivan", "Jack", "Jamal", "James", "Jasmine", "Javier", "Jenna",
    "Jin", "Jordan", "Julia", "Kai", "Karen", "Kenji", "Kevin", "Kiara", "Laura", "Leah",
    "Leo", "Liam", "Lucas", "Lucia", "Maya", "Mei", "Michael", "Miguel", "Mila", "Mohammed",
    "Nadia", "Naomi", "Nathan", "Nina", "Noah", "Olivia", "Omar", "Priya", "Rafael", "Rahul",
    "Rebecca", "Rosa", "Ryan", "Sam", "Sara", "Sofia", "Tariq", "Tom", "Valentina", "Victor",
    "Wei", "Yara", "Yusuf", "Zara", "Zoe",
)

LAST_NAMES = (
    "Abbott", "Adeyemi", "Alvarez", "Anderson", "Bailey", "Banerjee", "Becker", "Bennett", "Brooks", "Campbell",
    "Carter", "Castillo", "Chang", "Chavez", "Cohen", "Cooper", "Costa", "Dubois", "Edwards", "Evans",
    "Fischer", "Flores", "Foster", "Garcia", "Gonzalez", "Gupta", "Hall", "Hansen", "Hayes", "Hernandez",
    "Hoffmann", "Hughes", "Ito", "Jackson", "Jensen", "Johnson", "Kapoor", "Kaur", "Kim", "Kowalski",
    "Larsen", "Lee", "Lopez", "Martin", "Martinez", "Mehta", "Meyer", "Miller", "Moreno", "Murphy",
    "Nakamura", "Nguyen", "Novak", "Okafor", "Olsen", "Ortiz", "Patel", "Perez", "Petrov", "Reyes",
    "Rivera", "Roberts", "Romano", "Rossi", "Russo", "Sanchez", "Schmidt", "Shah", "Silva", "Singh",
    "Smith", "Sousa", "Sullivan", "Suzuki", "Tanaka", "Taylor", "Thompson", "Torres", "Turner", "Wagner",
    "Walker", "Wang", "Weber", "Williams", "Wilson", "Wong", "Yamamoto", "Young", "Zhang", "Zimmerman",
)

COMPANIES = ("acme", "globex", "initech", "umbrella", "hooli", "vandelay", "stark", "wayne", "tyrell", "cyberdyne")

# Role -> titles; the role also picks the user's activity profile.
TITLES = {
    "rep": ("Account Executive", "Senior Account Executive", "Sales Development Representative",
            "Business Development Representative", "Customer Success Manager", "Account Manager"),
    "manager": ("Sales Manager", "Regional Sales Director", "VP of Sales", "Sales Enablement Manager",
                "Head of Customer Success"),
    "other": ("Solutions Engineer", "Sales Operations Analyst", "Marketing Manager", "Product Manager",
              "Revenue Operations Manager"),
}
