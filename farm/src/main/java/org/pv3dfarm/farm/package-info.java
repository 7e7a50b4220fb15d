/**
 * The farm on one machine: {@link org.pv3dfarm.farm.FarmLauncher} (behind {@code bin/farm}) starts Kafka and the
 * object store ({@link org.pv3dfarm.farm.FarmBackends}: embedded, containers, or external through the standard
 * {@code PV3D_*} variables), the job API as a child process ({@link org.pv3dfarm.farm.JobApiProcess}) and a render
 * worker in the launcher's JVM, all held by {@link org.pv3dfarm.farm.Farm}; {@link org.pv3dfarm.farm.DemoJob}
 * renders a clip through the API as a user would.
 */
package org.pv3dfarm.farm;
