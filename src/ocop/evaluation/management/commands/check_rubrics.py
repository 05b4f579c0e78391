from django.core.management.base import BaseCommand, CommandError

from ocop.evaluation.engine import minimums
from ocop.evaluation.enums import RubricStatus
from ocop.evaluation.rubric_io import check_sheet, diff_sheets, format_points
from ocop.evaluation.selectors import rubric_versions, sheet_from_rows
from ocop.legal.selectors import effective_parameters


class Command(BaseCommand):
    help = (
        "Prove that every loaded criteria sheet is consistent: parts add up to the maxima of their "
        "legal basis (40/25/35 for 26/2026), groups to their criteria, no option exceeds its "
        "criterion, every star marker sits on an option of its criterion, and the stored rows say "
        "what the version's data says. One line per sheet; exit status 1 on any inconsistency."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Also check drafts and retired versions.")

    def handle(self, *args, **options):
        versions = rubric_versions()
        if not options["all"]:
            versions = versions.filter(status=RubricStatus.ACTIVE)
        failed = 0
        count = 0
        for version in versions:
            count += 1
            sheet = sheet_from_rows(version)
            parameters = effective_parameters(version.legal_basis)
            problems = check_sheet(sheet, parameters.get("part_maxima"))
            option_keys = {option.key for node in sheet.leaves() for option in node.options}
            marked = [option for node in sheet.leaves() for option in node.options if option.min_star]
            problems += [
                f"marker on {option.key} is not an option of its criterion"
                for option in marked
                if option.key not in option_keys
            ]
            drift = diff_sheets(version.to_sheet(), sheet)
            if drift:
                problems.append(f"stored rows differ from the version data in {len(drift)} places")
            parts = "/".join(f"{part.code} {format_points(part.max_points)}" for part in sheet.parts)
            stars = minimums(sheet)
            markers = " ".join(f"{level}★:{len(stars[level])}" for level in sorted(stars))
            label = (
                f"{version.legal_basis.short_name} sheet {version.sheet_number:>2} "
                f"v{version.version} ({version.status})"
            )
            if problems:
                failed += 1
                self.stdout.write(f"FAIL {label}: " + "; ".join(problems))
            else:
                self.stdout.write(
                    f"ok   {label}: {parts}, {len(sheet.leaves())} criteria, markers {markers}, "
                    f"{len(sheet.knockouts)} knock-outs"
                )
        if count == 0:
            raise CommandError("No criteria sheet is loaded; run `ocop load_rubrics` (part of bootstrap).")
        if failed:
            raise CommandError(f"{failed} of {count} sheets are inconsistent.")
        self.stdout.write(f"All {count} sheets are consistent.")
