"""Views and API operations take numbers and ids from requests only through forms and schemas,
which check them (a bare int() or a lookup on raw request text answers 500 to "abc")."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW_NUMBER_USE = re.compile(
    r"\b(int|float|Decimal)\(\s*request\."  # int(request.GET["n"])
    r"|\b\w*(pk|id)\s*=\s*request\.(GET|POST)"  # get_object_or_404(X, pk=request.POST["id"])
)


def raw_number_uses(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.glob("openward/**/*.py")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in relative or not re.search(r"/(views|api)(\.py|/)", relative):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if RAW_NUMBER_USE.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_view_turns_request_text_into_a_number_or_an_id_itself():
    assert raw_number_uses() == []


def test_the_scan_sees_each_pattern(tmp_path):
    views = tmp_path / "openward" / "x" / "views.py"
    views.parent.mkdir(parents=True)
    views.write_text(
        "a = int(request.GET['n'])\n"
        "b = get_object_or_404(Grant, pk=request.POST['revoke'])\n"
        "c = Membership.objects.get(membership_id=request.GET.get('m'))\n"
        "d = form.cleaned_data['n']\n"
    )
    (tmp_path / "openward" / "x" / "services.py").write_text("a = int(request.GET['n'])\n")
    assert [hit.split(":")[1] for hit in raw_number_uses(tmp_path)] == ["1", "2", "3"]
