package dev.nucleus.rpc.processor;

import com.google.auto.service.AutoService;
import com.squareup.javapoet.JavaFile;
import com.squareup.javapoet.TypeSpec;
import java.io.IOException;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * The Nucleus RPC annotation processor: for each {@code @Service} interface {@code Foo}, writes
 * {@code Foo_Proxy}, {@code Foo_Adapter} and {@code Foo_Service} into Foo's package (see
 * {@code dev.nucleus.rpc.Service} for what is accepted). An unsupported signature is a compile
 * error naming the method and the parameter; nothing is generated for an interface with errors.
 * Also checks that {@code @Oneway} is used only in a {@code @Service} interface.
 */
@AutoService(Processor.class)
public final class ServiceProcessor extends AbstractProcessor {

  static final String SERVICE = "dev.nucleus.rpc.Service";
  static final String ONEWAY = "dev.nucleus.rpc.Oneway";

  /** A processor; javac creates it. */
  public ServiceProcessor() {}

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(SERVICE, ONEWAY);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    final TypeElement service = processingEnv.getElementUtils().getTypeElement(SERVICE);
    final TypeElement oneway = processingEnv.getElementUtils().getTypeElement(ONEWAY);
    if (service == null) {
      return false;
    }
    if (oneway != null) {
      for (final Element e : round.getElementsAnnotatedWith(oneway)) {
        if (e.getEnclosingElement().getAnnotationMirrors().stream().noneMatch(a -> isAnnotation(a, SERVICE))) {
          error(e, e.getEnclosingElement().getSimpleName() + "." + e.getSimpleName()
              + ": @Oneway applies only to methods of a @Service interface");
        }
      }
    }
    final ServiceAnalyzer analyzer = new ServiceAnalyzer(processingEnv.getElementUtils(), processingEnv.getTypeUtils(),
        processingEnv.getMessager());
    for (final Element e : round.getElementsAnnotatedWith(service)) {
      final ServiceModel model = analyzer.analyze(e, declaredName(e));
      if (model != null) {
        emit(model, DescriptorWriter.write(model));
        emit(model, ProxyWriter.write(model));
        emit(model, AdapterWriter.write(model));
      }
    }
    return true;
  }

  private void emit(ServiceModel model, TypeSpec type) {
    final JavaFile file = JavaFile.builder(model.type().packageName(), type)
        .skipJavaLangImports(true)
        .indent("  ")
        .build();
    try {
      file.writeTo(processingEnv.getFiler());
    } catch (IOException e) {
      error(model.element(), "cannot write " + type.name + ": " + e.getMessage());
    }
  }

  private static String declaredName(Element e) {
    for (final AnnotationMirror a : e.getAnnotationMirrors()) {
      if (isAnnotation(a, SERVICE)) {
        for (final var entry : a.getElementValues().entrySet()) {
          final ExecutableElement key = entry.getKey();
          final AnnotationValue value = entry.getValue();
          if (key.getSimpleName().contentEquals("name")) {
            return value.getValue().toString();
          }
        }
      }
    }
    return "";
  }

  private static boolean isAnnotation(AnnotationMirror a, String qualifiedName) {
    return ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals(qualifiedName);
  }

  private void error(Element e, String message) {
    processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message, e);
  }
}
