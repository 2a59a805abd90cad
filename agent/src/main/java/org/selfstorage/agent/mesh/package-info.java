/**
 * The partner mesh as this agent takes part in it: who may log in ({@link PartnerDirectory}), what
 * partners may ask ({@link MeshRpc}), pairing with an invitation code ({@link Pairing}), and the
 * connections to partners that stores and calls share ({@link PartnerLinks}). Internal to the agent
 * module.
 */
package org.selfstorage.agent.mesh;
