"""The company's structure and its people: municipalities, places, groups, employees, clients."""
