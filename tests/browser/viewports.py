# The two windows every page is looked at in: a phone (Arabic) and a desktop (English).
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
