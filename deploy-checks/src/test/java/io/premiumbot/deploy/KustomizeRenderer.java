package io.premiumbot.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The subset of {@code kustomize build} that k8s/ uses: {@code resources} (files and folders),
 * {@code patches} with a {@code path} to one document, matched by apiVersion, kind and name (strategic
 * merge for core types: maps merge, lists of named items merge by name, other lists are replaced; custom
 * resources get JSON merge patch semantics, as in kustomize: every list is replaced; null deletes) and
 * {@code images} (newName/newTag/digest). Anything else in a kustomization is refused, so the renderer
 * can never silently ignore what kustomize would apply.
 */
final class KustomizeRenderer {

    private static final Set<String> SUPPORTED_FIELDS = Set.of("apiVersion", "kind", "resources", "patches", "images");
    private static final Set<String> SUPPORTED_IMAGE_FIELDS = Set.of("name", "newName", "newTag", "digest");

    List<ObjectNode> render(Path directory) {
        Path file = directory.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no kustomization.yaml in " + directory);
        }
        ObjectNode kustomization = Yaml.single(file);
        for (Map.Entry<String, JsonNode> field : kustomization.properties()) {
            if (!SUPPORTED_FIELDS.contains(field.getKey())) {
                throw new IllegalArgumentException(
                        file + ": '" + field.getKey() + "' is not supported by this renderer");
            }
        }
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path resource = directory.resolve(entry.asText()).normalize();
            resources.addAll(Files.isDirectory(resource) ? render(resource) : Yaml.documents(resource));
        }
        requireUniqueIds(resources, file);
        for (JsonNode patch : kustomization.path("patches")) {
            if (patch.size() != 1 || !patch.has("path")) {
                throw new IllegalArgumentException(
                        file + ": only 'patches: - path: FILE' is supported, found " + patch);
            }
            // kustomize's `patches` takes one document per path (several fail there), so they fail here too.
            ObjectNode document =
                    Yaml.single(directory.resolve(patch.get("path").asText()));
            merge(
                    target(resources, document, file),
                    document,
                    StrictKubernetesModel.TYPED.containsKey(StrictKubernetesModel.typeKey(document)));
        }
        for (JsonNode image : kustomization.path("images")) {
            for (Map.Entry<String, JsonNode> field : image.properties()) {
                if (!SUPPORTED_IMAGE_FIELDS.contains(field.getKey())) {
                    throw new IllegalArgumentException(file + ": images." + field.getKey() + " is not supported");
                }
            }
            resources.forEach(resource -> retag(resource, image));
        }
        return resources;
    }

    static String id(JsonNode resource) {
        return resource.path("kind").asText() + "/"
                + resource.path("metadata").path("name").asText();
    }

    private static void requireUniqueIds(List<ObjectNode> resources, Path file) {
        Set<String> seen = new HashSet<>();
        for (ObjectNode resource : resources) {
            if (!seen.add(id(resource))) {
                throw new IllegalArgumentException(file + ": " + id(resource) + " is defined twice");
            }
        }
    }

    private static ObjectNode target(List<ObjectNode> resources, ObjectNode patch, Path file) {
        return resources.stream()
                .filter(r -> id(r).equals(id(patch)) && r.path("apiVersion").equals(patch.path("apiVersion")))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException(file + ": patch " + id(patch) + " matches no resource"));
    }

    /** Strategic merge as far as our patches need it; {@code strategic=false} is a JSON merge patch. */
    static void merge(ObjectNode target, ObjectNode patch, boolean strategic) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            JsonNode current = target.get(field.getKey());
            JsonNode change = field.getValue();
            if (change.isNull()) {
                target.remove(field.getKey());
            } else if (current instanceof ObjectNode currentObject && change instanceof ObjectNode changeObject) {
                merge(currentObject, changeObject, strategic);
            } else if (strategic
                    && current instanceof ArrayNode currentList
                    && change instanceof ArrayNode changeList
                    && isNamedList(currentList)
                    && isNamedList(changeList)) {
                mergeByName(currentList, changeList);
            } else {
                target.set(field.getKey(), change.deepCopy());
            }
        }
    }

    private static boolean isNamedList(ArrayNode list) {
        if (list.isEmpty()) {
            return false;
        }
        for (JsonNode item : list) {
            if (!item.isObject() || !item.path("name").isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static void mergeByName(ArrayNode current, ArrayNode change) {
        for (JsonNode item : change) {
            ObjectNode match = null;
            for (JsonNode existing : current) {
                if (existing.get("name").equals(item.get("name"))) {
                    match = (ObjectNode) existing;
                }
            }
            if (match == null) {
                current.add(item.deepCopy());
            } else {
                merge(match, (ObjectNode) item, true);
            }
        }
    }

    private static void retag(ObjectNode resource, JsonNode image) {
        JsonNode podSpec = resource.path("spec").path("template").path("spec");
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode container : podSpec.path(list)) {
                String reference = container.path("image").asText();
                String name = imageName(reference);
                if (!name.equals(image.path("name").asText())) {
                    continue;
                }
                String newName = image.has("newName") ? image.get("newName").asText() : name;
                String suffix = image.has("digest")
                        ? "@" + image.get("digest").asText()
                        : image.has("newTag") ? ":" + image.get("newTag").asText() : reference.substring(name.length());
                ((ObjectNode) container).put("image", newName + suffix);
            }
        }
    }

    /** The image reference without its tag or digest (a registry port's colon is kept). */
    static String imageName(String reference) {
        int at = reference.indexOf('@');
        String withoutDigest = at >= 0 ? reference.substring(0, at) : reference;
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }
}
