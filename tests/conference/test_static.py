import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PHYSICAL = re.compile(
    r"(?<![\w-])(margin|padding|border)-(left|right)\b|(?<![\w-])(left|right)\s*:"
    r"|float\s*:\s*(left|right)|text-align\s*:\s*(left|right)|clear\s*:\s*(left|right)",
    re.IGNORECASE,
)


def project_css() -> list[Path]:
    return sorted((ROOT / "static").rglob("*.css"))


def test_css_uses_logical_properties_only():
    assert project_css(), "no stylesheet found"
    offences = []
    for path in project_css():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PHYSICAL.search(line):
                offences.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offences == []


def test_the_check_itself_catches_physical_properties():
    for sample in ("margin-left: 1rem", "padding-right:0", "left: 0", "text-align: right",
                   "float: left", "border-left: 1px solid"):
        assert PHYSICAL.search(sample), sample
    for sample in ("margin-inline-start: 1rem", "inset-inline-start: 0", "text-align: start"):
        assert not PHYSICAL.search(sample), sample


def test_page_templates_have_no_inline_physical_styles():
    # E-mail templates are exempt: mail clients ignore logical properties, so they set
    # alignment from the language's direction explicitly.
    offences = []
    for path in ROOT.glob("*/templates/**/*.html"):
        if "emails" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for style in re.findall(r'style="([^"]*)"', text):
            if PHYSICAL.search(style):
                offences.append(f"{path.relative_to(ROOT)}: {style}")
    assert offences == []


def test_collectstatic_builds_a_manifest_with_the_fonts(tmp_path):
    """Production serves hashed files through WhiteNoise: the fonts referenced by the
    CSS must be there (installed from npm), or collectstatic fails."""
    environ = {"PATH": "/usr/bin:/bin", "HOME": "/tmp",
               "SECRET_KEY": "k" * 30 + "q7!Zp#2vR9m@L4^w8&nB1*cT6(yH3",
               "ALLOWED_HOSTS": "tadamun.example.org", "SITE_URL": "https://t.example.org",
               "FIELD_ENCRYPTION_KEYS": "Ch1sZXvTKp5fQ4Z4dXvF1cEF2mC7l9fFvU2nB5bG8qQ=",
               "FIELD_HASH_KEY": "static-test-hash-key-" + "z" * 20,
               "REDIS_URL": "redis://127.0.0.1:6379/0",  # required, never reached here
               "STATIC_ROOT": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db"}
    result = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                            cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/noto-sans-arabic/noto-sans-arabic-arabic-400-normal.woff2" in manifest
    assert "vendor/noto-sans/noto-sans-latin-400-normal.woff2" in manifest
    fonts_css = next(tmp_path.glob("css/fonts.*.css")).read_text()
    # The hashed CSS points at hashed font files, so browsers may cache them forever.
    assert re.search(r"noto-sans-arabic-arabic-400-normal\.[0-9a-f]{12}\.woff2", fonts_css)
