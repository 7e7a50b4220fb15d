package org.pv3dfarm.deploy;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The container images the build makes ({@code -Pimage}; docs/operations.md), read from the modules' POMs so
 * the manifests are checked against the build rather than against a copy of its names.
 */
record ProjectImages(String jobApi, String worker, String gpuWorker, String version, String kafkaVersion) {

    static ProjectImages read(Path root) {
        Document parent = parse(root.resolve("pom.xml"));
        Document worker = parse(root.resolve("render-worker/pom.xml"));
        Document api = parse(root.resolve("job-api/pom.xml"));
        String version = child(parent.getDocumentElement(), "version").getTextContent().trim();
        Element apiImage = properties(profile(api, "image"));
        String jobApi = text(apiImage, "quarkus.container-image.group") + "/"
                + text(apiImage, "quarkus.container-image.name") + ":"
                + text(apiImage, "quarkus.container-image.tag").replace("${project.version}", version);
        String cpu = text(properties(worker.getDocumentElement()), "worker.image.name") + ":" + version;
        String gpu = text(properties(profile(worker, "gpu")), "worker.image.name") + ":" + version;
        return new ProjectImages(jobApi, cpu, gpu, version, text(properties(parent.getDocumentElement()),
                "kafka.version"));
    }

    /** The repository part of an image reference. */
    static String repository(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    private static Document parse(Path pom) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom, e);
        }
    }

    private static Element profile(Document pom, String id) {
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (child(profile, "id").getTextContent().trim().equals(id)) {
                return profile;
            }
        }
        throw new IllegalStateException("no profile " + id);
    }

    private static Element properties(Element element) {
        return child(element, "properties");
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().trim();
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        throw new IllegalStateException("<" + parent.getTagName() + "> has no <" + name + ">");
    }
}
