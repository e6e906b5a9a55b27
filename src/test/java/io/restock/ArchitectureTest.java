package io.restock;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shape of the main code: packages that do not depend on each other in a circle, small files. */
class ArchitectureTest {
  private static final String ROOT = "io.restock";
  private static final Path MAIN_SOURCES = Path.of("src", "main", "java");
  private static final int MAX_LINES = 300;

  /**
   * One slice per package directly under io.restock (with its subpackages), and one for
   * io.restock itself: {@code slices().matching("io.restock.(*)..")} would leave the root package,
   * which wires everything, out of the check.
   */
  private static final SliceAssignment TOP_LEVEL_PACKAGES = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String name = javaClass.getPackageName();
      if (name.equals(ROOT)) {
        return SliceIdentifier.of(ROOT);
      }
      if (!name.startsWith(ROOT + ".")) {
        return SliceIdentifier.ignore();
      }
      return SliceIdentifier.of(ROOT + "." + name.substring(ROOT.length() + 1).split("\\.")[0]);
    }

    @Override
    public String getDescription() {
      return ROOT + " and each package directly under it";
    }
  };

  @Test
  void main_packages_depend_on_each_other_in_no_cycle() {
    JavaClasses main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
    assertTrue(main.contain(Main.class), "the main classes were not found on the class path");
    slices().assignedFrom(TOP_LEVEL_PACKAGES).should().beFreeOfCycles().check(main);
  }

  @Test
  void no_main_source_file_is_longer_than_300_lines() throws IOException {
    assertTrue(Files.isDirectory(MAIN_SOURCES), "run from the project root: no " + MAIN_SOURCES);
    List<Path> sources;
    try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
      sources = files.filter(f -> f.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    }
    assertFalse(sources.isEmpty(), "no Java sources under " + MAIN_SOURCES);
    List<String> tooLong = new ArrayList<>();
    for (Path source : sources) {
      long lines;
      try (Stream<String> all = Files.lines(source)) {
        lines = all.count();
      }
      if (lines > MAX_LINES) {
        tooLong.add(source + ": " + lines + " lines");
      }
    }
    assertTrue(tooLong.isEmpty(), "split these by concern (at most " + MAX_LINES + " lines a file):\n"
        + String.join("\n", tooLong));
  }
}
