import { parseKubernetesDeployment } from './kubernetes-deployment';
import { parseNativeDeployment } from './native-deployment';
import { DeploymentFormatError, type ProposedDeployment } from './proposed-deployment';

/**
 * Reads a proposed deployment by its file name: `.json` is the native format, `.yaml` and
 * `.yml` (`deployment.yaml`, `*.k8s.yaml`) are Kubernetes YAML.
 */
export function parseDeploymentFile(bytes: Uint8Array | string, fileName: string): ProposedDeployment {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return parseNativeDeployment(bytes, fileName);
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return parseKubernetesDeployment(bytes, fileName);
  throw new DeploymentFormatError(fileName, 'a deployment file is .json (deployment.json, FORMATS §8) or Kubernetes .yaml/.yml');
}
