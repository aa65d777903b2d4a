package io.cgwatch.agent.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One line for a YAML file that cannot be used: the file, the key (with its line where the parser knows it
 * exactly; for an unknown key it reports the line after) and what was expected, in the file's
 * own terms. Jackson's messages name Java classes and quote the parser's state; a user needs none of that.
 */
final class ConfigErrors {
  private ConfigErrors() {}

  static String describe(Path file, Exception e) {
    return file + ": " + problem(file, e);
  }

  private static String problem(Path file, Exception e) {
    if (e instanceof NoSuchFileException || e instanceof java.io.FileNotFoundException && !file.toFile().exists()) {
      return "no such file";
    }
    if (e instanceof java.io.FileNotFoundException) {
      return file.toFile().isDirectory() ? "a directory, not a file" : "permission denied";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown key '" + key(u) + "' (known keys there: " + known(u.getKnownPropertyIds()) + ")";
    }
    if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
      return "'" + key(m) + "'" + line(m) + ": expected " + expected(m.getTargetType());
    }
    if (e instanceof JsonMappingException m && m.getCause() instanceof IllegalArgumentException iae) {
      return iae.getMessage(); // a value the config's own checks refused (already names the key)
    }
    if (e instanceof JsonProcessingException p) {
      String first = String.valueOf(p.getOriginalMessage()).lines().findFirst().orElse("");
      return "not valid YAML" + line(p) + ": " + first;
    }
    if (e instanceof IOException) {
      return String.valueOf(e.getMessage());
    }
    return String.valueOf(e.getMessage());
  }

  private static String key(JsonMappingException e) {
    return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }

  private static String line(JsonProcessingException e) {
    JsonLocation l = e.getLocation();
    return l == null || l.getLineNr() < 1 ? "" : " at line " + l.getLineNr();
  }

  private static String known(Collection<Object> ids) {
    return ids == null ? "none" : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "another kind of value";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping of keys to values";
    }
    return "another kind of value";
  }
}
